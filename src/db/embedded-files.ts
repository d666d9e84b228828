import path from 'node:path';

export interface EmbeddedInfo {
  pid: number;
  host: string;
  port: number;
}

/** Files the embedded database process keeps in the data folder. */
export function embeddedFiles(dataDir: string): { lock: string; info: string; socket: string } {
  const dir = path.resolve(dataDir);
  return {
    lock: path.join(dir, 'pglite.lock'),
    info: path.join(dir, 'pglite.json'),
    socket: path.join(dir, '.s.PGSQL.5432'),
  };
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
