package org.tunnelwatch.config;

/** A value read from the file, with the place it was written, for checks that come later. */
record Located<T>(T value, SourceLocation location, String path) {}
