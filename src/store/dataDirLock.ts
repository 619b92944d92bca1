/**
 * One station per embedded data directory. PGlite does not guard its directory, and two processes writing
 * the same one corrupt it (the stored receipts with it): a second `npm start` in the same folder must be
 * refused, not served. The lock is a file holding the owner's pid, taken with an exclusive create; a file left
 * by a process that is gone (a crash, kill -9) is taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE = "stazione.lock";

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => (ownerOf(file) === process.pid ? rmSync(file, { force: true }) : undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const owner = ownerOf(file);
      if (owner !== undefined && isRunning(owner)) {
        throw new Error(`the data directory ${dataDir} is in use by process ${owner} (another station?): stop it, or set DATA_DIR to another directory`);
      }
      rmSync(file, { force: true });
    }
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
