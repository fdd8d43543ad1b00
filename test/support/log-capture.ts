/** The kit's log lines, captured as a log shipper would read them: one JSON object a line. */
import { configureLogging, type LogLevel } from '../../kit/logger.ts';

export type LogLine = Record<string, unknown> & { level: string; msg: string; time: string };

export interface CapturedLogs {
  /** Every line written since the capture started, parsed. */
  readonly lines: LogLine[];
  /** The raw text written, to check what never appears in it. */
  text(): string;
  stop(): void;
}

export function captureLogs(level: LogLevel = 'info'): CapturedLogs {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  configureLogging({
    level,
    format: 'json',
    destination: {
      write(line: string) {
        raw.push(line);
        for (const part of line.split('\n')) if (part.trim()) lines.push(JSON.parse(part) as LogLine);
      },
    },
  });
  return {
    lines,
    text: () => raw.join(''),
    stop: () => configureLogging({ level: 'silent', destination: undefined }),
  };
}
