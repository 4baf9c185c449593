import { Presets, SingleBar } from 'cli-progress';

/** Rows written so far, shown while a seed runs. */
export interface RowProgress {
  begin(total: number): void;
  advance(table: string, rows: number): void;
  end(): void;
}

const SILENT: RowProgress = {
  begin: () => undefined,
  advance: () => undefined,
  end: () => undefined,
};

/**
 * A progress bar on a terminal (stderr, so that stdout stays the summary a script can read);
 * nothing when the output is a file or a pipe, or for runs too small to watch.
 */
export function rowProgress(minimumRows = 5000, stream = process.stderr): RowProgress {
  if (!stream.isTTY) return SILENT;
  let bar: SingleBar | undefined;
  return {
    begin(total) {
      if (total < minimumRows) return;
      bar = new SingleBar(
        {
          stream,
          format: 'seeding {bar} {percentage}% | {value}/{total} rows | {table}',
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { table: '' });
    },
    advance(table, rows) {
      bar?.increment(rows, { table });
    },
    end() {
      bar?.stop();
      bar = undefined;
    },
  };
}
