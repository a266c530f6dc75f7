# ss -H -e -p output -> one line "INODE PID FD" per owner of each socket, for comparing -p owners.
# (ss -p cannot name RAW inodes, and for UNIX its ino: is the path's VFS inode: column 6 is ours)
{
	ino = 0
	for (i = 7; i <= NF; i++) if ($i ~ /^ino:/) ino = substr($i, 5)
	if ($1 ~ /^u_/) ino = $6
	line = $0
	while (match(line, /pid=[0-9]+,fd=[0-9]+/)) {
		split(substr(line, RSTART, RLENGTH), kv, /[=,]/)
		print ino, kv[2], kv[4]
		line = substr(line, RSTART + RLENGTH)
	}
}
