import { createReadStream, writeFileSync } from 'fs';
import { compareWithSnapshot } from './nodes/MemberFeed/logic/feedReader';
async function main() {
  const [feed, snap, out] = process.argv.slice(2);
  const t = Date.now();
  const r = await compareWithSnapshot({ feed: createReadStream(feed, {highWaterMark: 1<<20}), snapshot: snap !== '-' ? () => createReadStream(snap) : undefined,
    options: { knownTiers: ['Bronze','Silver','Gold','Platinum'] }, detection: { mode: 'changes', maxChanges: 2000000 }, minShareOfSnapshot: 0.5, rejectLimit: 100 });
  if (r.snapshot) writeFileSync(out, r.snapshot);
  console.log(Date.now()-t, 'ms', r.rowsRead, r.rowsRejected, r.rejects.slice(0,3), JSON.stringify(r.counts), r.stopReason, 'rss', Math.round(process.memoryUsage().rss/1e6));
  console.log(JSON.stringify(r.changes.find(c=>c.change==='changed')));
}
main();
