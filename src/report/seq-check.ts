// The guest's `seq` numbering checked row by row: a hole is rows the guest sent (or meant to)
// that never arrived, a repeat is a row counted twice, a return to 0 is the agent restarting.

// The first holes are listed with their time; beyond that they are only counted.
const MAX_HOLES_LISTED = 1000;

export class SeqCheck {
  rowsWithSeq = 0;
  missing = 0;
  duplicates = 0;
  resets = 0;
  readonly holes: Array<{ tS: number; afterSeq: number; missing: number }> = [];
  private last: number | null = null;

  add(seq: number, tNs: number): void {
    this.rowsWithSeq += 1;
    const last = this.last;
    this.last = seq;
    if (last === null || seq === last + 1) return;
    if (seq > last + 1) {
      this.missing += seq - last - 1;
      if (this.holes.length < MAX_HOLES_LISTED) this.holes.push({ tS: tNs / 1e9, afterSeq: last, missing: seq - last - 1 });
    } else if (seq === 0) this.resets += 1;
    else this.duplicates += 1;
  }
}
