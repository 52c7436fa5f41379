/** What a database update or import reports while it runs (the CLI draws a bar from it). */
export type DbProgress =
  | { phase: 'download'; ecosystem: string; bytes: number; totalBytes?: number }
  | { phase: 'import'; ecosystem?: string; documents: number; totalDocuments?: number }
  | { phase: 'commit' };

export type ProgressListener = (progress: DbProgress) => void;
