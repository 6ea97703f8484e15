/**
 * File-system errors in the user's words. A path the user gave (an output folder that is a file,
 * a read-only disk, a folder where a file should go) is a user error: the CLI names the path and
 * the reason and exits 1 instead of reporting a crash.
 */

/** Plain words for the errno codes a user can cause with a path. */
const REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EEXIST: "a file of that name is in the way",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  EBUSY: "the file is busy",
  EINVAL: "invalid argument",
};

export function errnoCode(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** "permission denied (EACCES)" for a Node file-system error; its message otherwise. */
export function fileErrorReason(err: unknown): string {
  const code = errnoCode(err);
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}

/**
 * For a Node file-system error that carries the path it failed on: "cannot write '/x/y.csv':
 * permission denied (EACCES)". Undefined for anything else.
 */
export function describeFileError(err: unknown): string | undefined {
  const code = errnoCode(err);
  if (code === undefined) return undefined;
  const { syscall, path } = err as NodeJS.ErrnoException;
  if (typeof syscall !== "string" || typeof path !== "string") return undefined;
  const verb =
    syscall === "mkdir" ? "create the folder"
    : syscall === "open" || syscall === "write" ? "write"
    : syscall === "unlink" || syscall === "rmdir" ? "remove"
    : syscall === "stat" || syscall === "lstat" || syscall === "read" ? "read"
    : syscall;
  return `cannot ${verb} '${path}': ${fileErrorReason(err)}.`;
}
