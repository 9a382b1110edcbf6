import type { EventsLogger } from "../../../../src/platform/logging.js";

export interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly fields: object;
  readonly message: string;
}

/** A logger that keeps what it was told, so tests can assert that failures are reported. */
export class RecordingLogger implements EventsLogger {
  readonly entries: LogEntry[] = [];

  info(fields: object, message: string): void {
    this.entries.push({ level: "info", fields, message });
  }

  warn(fields: object, message: string): void {
    this.entries.push({ level: "warn", fields, message });
  }

  error(fields: object, message: string): void {
    this.entries.push({ level: "error", fields, message });
  }

  messages(level: LogEntry["level"]): string[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
  }
}
