package org.tunnelwatch.remedy;

/** The planner's answer: the state to remember and the decision to carry out. */
public record RemedyPlan(RemedyState next, Decision decision) {}
