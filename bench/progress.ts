/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise one compact line at each
 * quarter (CI logs stay short). stdout carries only the results.
 */
export interface Progress {
  tick(n?: number): void;
  /** Sets the absolute count (for progress read from the server, e.g. a visibility count). */
  set(n: number): void;
  done(note?: string): void;
}

const WIDTH = 30;

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let count = 0;
  let lastDraw = 0;
  let lastQuarter = -1;
  let finished = false;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

  const draw = (force = false) => {
    const share = total > 0 ? Math.min(1, count / total) : 1;
    if (tty) {
      const now = Date.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      const filled = Math.round(share * WIDTH);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${count}/${total} ${elapsed()}\x1b[K`);
    } else {
      const quarter = Math.floor(share * 4);
      if (quarter === lastQuarter && !force) return;
      lastQuarter = quarter;
      stream.write(`${label}: ${count}/${total} (${Math.round(share * 100)}%) ${elapsed()}\n`);
    }
  };

  draw(true);
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    set(n) {
      count = n;
      draw();
    },
    done(note) {
      if (finished) return;
      finished = true;
      count = Math.max(count, total);
      if (tty) {
        draw(true);
        stream.write(`${note ? `  ${note}` : ''}\n`);
      } else {
        stream.write(`${label}: done ${count}/${total} ${elapsed()}${note ? `  ${note}` : ''}\n`);
      }
    },
  };
}

/** A one-line phase note on stderr. */
export function note(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
