/** What a handler answers: JSON unless `type` says otherwise. */
export interface Reply {
  status?: number;
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
}
