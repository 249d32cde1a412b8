# shellcheck shell=sh
# class-archive.sh: tunnelwatch's class-data sharing archive (AppCDS), sourced by the launcher
# (/usr/bin/tunnelwatch), which uses it, and by the package's postinst, which builds it at
# install and upgrade and whenever a package changes the Java runtimes under /usr/lib/jvm
# (a dpkg trigger). Why and what it saves: docs/systemd.md, "Start time".
#
# The archive belongs to one jar and one JVM build; it is built on the machine that runs it,
# because the package is for every architecture and every JDK 17 build. A JDK 17 that did not
# write it, or changed jars, make the JVM ignore it by itself; but JDK 17 maps the file
# without checking its length, and a truncated archive crashes the JVM (SIGBUS) before main.
# So the archive is written under another name and renamed into place when whole, and the
# launcher uses it only while its stamp (the sizes and times of the archive, the jar and the
# JVM's library) is the one written with it: a stale or damaged archive costs the start its
# speed, never the start itself.

TUNNELWATCH_CLASS_ARCHIVE=/var/cache/tunnelwatch/tunnelwatch.jsa

# Prints the stamp of archive $1 for jar $2 and the java on PATH: one line.
tunnelwatch_class_archive_stamp() {
	_tw_java=$(readlink -f "$(command -v java)") || return 1
	# shellcheck disable=SC2005,SC2046 # the lines made one
	echo $(stat -L -c '%s:%Y' -- "$1" "$2" "${_tw_java%/bin/java}/lib/server/libjvm.so" 2>/dev/null)
}

# Sets TUNNELWATCH_CDS_OPTS to use the archive with jar $1, if its stamp matches; else leaves it empty.
# shellcheck disable=SC2034 # the launcher reads it
tunnelwatch_class_archive_options() {
	TUNNELWATCH_CDS_OPTS=
	[ -r "$TUNNELWATCH_CLASS_ARCHIVE.stamp" ] || return 0
	IFS= read -r _tw_stamp <"$TUNNELWATCH_CLASS_ARCHIVE.stamp" || return 0
	if [ "$_tw_stamp" = "$(tunnelwatch_class_archive_stamp "$TUNNELWATCH_CLASS_ARCHIVE" "$1")" ]; then
		TUNNELWATCH_CDS_OPTS="-XX:SharedArchiveFile=$TUNNELWATCH_CLASS_ARCHIVE"
	fi
}

# Builds the archive for jar $2 with launcher $1, after removing the old one, in two steps: a
# training run (tunnelwatch class-archive-training: the agent started and stopped on loopback,
# dry-run) lists the classes a start loads, then a JVM with the launcher's own options dumps them
# into a static archive. Static, not a dynamic one on top of the JDK's default archive: one
# archive with what a start loads, the JDK's classes included and no others, and picocli's too
# (a dynamic archive leaves out classes as old as picocli's, Java 5's, once they are linked).
# Returns non-zero, leaving no archive, if a step or the archive fails.
tunnelwatch_class_archive_build() {
	_tw_archive=$TUNNELWATCH_CLASS_ARCHIVE
	mkdir -p "${_tw_archive%/*}"
	rm -f "$_tw_archive.stamp" "$_tw_archive" "$_tw_archive.new" "$_tw_archive.stamp.new" "$_tw_archive.classes"
	# The JVM writes its warnings about classes it cannot archive (a lambda of a Java 5
	# interface, JFR's event classes) to stdout: not the operator's business.
	if ! TUNNELWATCH_CDS_OPTS="-XX:DumpLoadedClassList=$_tw_archive.classes" "$1" class-archive-training >/dev/null 2>&1 ||
		! TUNNELWATCH_CDS_OPTS="-Xshare:dump -XX:SharedClassListFile=$_tw_archive.classes -XX:SharedArchiveFile=$_tw_archive.new" "$1" >/dev/null 2>&1 ||
		! TUNNELWATCH_CDS_OPTS="-Xshare:on -XX:SharedArchiveFile=$_tw_archive.new" "$1" --version >/dev/null 2>&1; then
		rm -f "$_tw_archive.new" "$_tw_archive.classes"
		return 1
	fi
	rm -f "$_tw_archive.classes"
	tunnelwatch_class_archive_stamp "$_tw_archive.new" "$2" >"$_tw_archive.stamp.new" &&
		mv "$_tw_archive.new" "$_tw_archive" &&
		mv "$_tw_archive.stamp.new" "$_tw_archive.stamp"
}
