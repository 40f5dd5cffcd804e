// The outbox: every write goes through here. Each job is stored in IndexedDB before it is sent,
// each request carries its own Idempotency-Key, and jobs are sent in order, now or when the
// network returns (the `online` event, app start, and a retry timer with back-off).
import { idb } from './db.js';
import { request } from './api.js';
import { newKey } from './dom.js';

const enc = encodeURIComponent;
const KEEP_SENT = 30;
const MAX_SERVER_ERRORS = 6;
let account = null;
let running = false;
let again = false;
let timer = null;
let backoff = 0;
const listeners = new Set();

/** `fn({pending, failed, jobs, sent})` now and after every change of the outbox; returns the unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  notify(null, [fn]);
  return () => listeners.delete(fn);
}

async function notify(sent = null, to = listeners) {
  const jobs = await list();
  const pending = jobs.filter((j) => j.state === 'pending').length;
  const failed = jobs.filter((j) => j.state === 'failed').length;
  for (const fn of to) if (listeners.has(fn)) fn({ pending, failed, jobs, sent });
}

/** This account's jobs, oldest first. */
export async function list() {
  if (!account) return [];
  const all = await idb.all('outbox').catch(() => []);
  return all.filter((j) => j.account === account).sort((a, b) => a.seq - b.seq);
}

let seqCounter = 0;

/**
 * Queues a job and tries to send it. `key` is the form's idempotency key: queueing the same key
 * twice (a double tap) adds nothing. Returns false when the key was already queued.
 */
export async function enqueue({ key, kind, title, eventId = null, houseCode = null, steps }) {
  const job = {
    key, kind, title, eventId, houseCode, account, seq: Date.now() * 1000 + (seqCounter++ % 1000),
    // A report or a person keeps the form's key, which an attempt made online may have used already.
    steps: steps.map((s, i) => ({ key: i === 0 && (kind === 'report' || kind === 'person') ? key : newKey(), done: false, ...s })),
    state: 'pending', attempts: 0, error: null, createdAt: Date.now(), sentAt: null, result: null,
  };
  navigator.storage?.persist?.().catch(() => {}); // ask the browser not to evict what waits to be sent
  const added = await idb.add('outbox', job);
  await notify();
  if (added) flush();
  return added;
}

/** A report: the event, then each photo (each with its own key). */
export const reportSteps = (body, photos) => [
  { kind: 'report', body: JSON.stringify(body) },
  ...photos.map((p, i) => ({ kind: 'upload', blob: p.blob, filename: `现场照片${i + 1}.jpg` })),
];

/** An action, after uploading its photos (their ids go into `attachments`). */
export const actionSteps = (action, input, photos = []) => [
  ...photos.map((p, i) => ({ kind: 'upload', blob: p.blob, filename: `处置照片${i + 1}.jpg` })),
  { kind: 'action', action, input, withUploads: photos.length > 0 },
];

/** A person (and where they live): the body is the JSON of POST /people, sent as it was queued. */
export const personSteps = (body) => [{ kind: 'person', body }];

async function send(job, step) {
  if (step.kind === 'person') {
    const answer = await request('POST', '/api/v1/people', { body: step.body, key: step.key });
    job.result = { personId: answer.id, name: answer.name };
    return { id: answer.id };
  }
  if (step.kind === 'report') {
    const answer = await request('POST', '/api/v1/events', { body: step.body, key: step.key });
    job.eventId = answer.event.id;
    job.result = { id: answer.event.id, serial: answer.event.serial, statusLabel: answer.event.statusLabel };
    return { id: answer.event.id };
  }
  if (step.kind === 'upload') {
    const answer = await request('POST', `/api/v1/events/${enc(job.eventId)}/attachments?filename=${enc(step.filename)}`,
      { body: step.blob, type: 'image/jpeg', key: step.key });
    return { id: answer.id };
  }
  if (!step.body) {
    // Built once and kept, so that a retry sends exactly the same body under the same key.
    const input = { ...step.input };
    if (step.withUploads) input.attachments = job.steps.filter((s) => s.kind === 'upload').map((s) => s.answer.id);
    step.body = JSON.stringify(input);
    await idb.put('outbox', job);
  }
  const answer = await request('POST', `/api/v1/events/${enc(job.eventId)}/actions/${enc(step.action)}`,
    { body: step.body, key: step.key });
  job.result = { id: job.eventId, serial: answer.event.serial, statusLabel: answer.event.statusLabel };
  return { status: answer.event.status };
}

/** Sends what is left of one job: 'done', 'failed' (a refusal; go on with the next), or 'stop' (retry later). */
async function runJob(job) {
  for (const [index, step] of job.steps.entries()) {
    if (step.done) continue;
    try {
      step.answer = await send(job, step);
      step.done = true;
      step.blob = null; // sent: no need to keep the photo on the phone
      await idb.put('outbox', job);
    } catch (error) {
      if (error.status === 0 || error.status === 401) return 'stop';
      const what = step.kind === 'upload' ? `照片${job.steps.slice(0, index + 1).filter((s) => s.kind === 'upload').length}：` : '';
      if (error.status >= 500 || error.status === 408 || error.status === 429) {
        job.attempts += 1;
        job.error = `${what}${error.message}`;
        if (job.attempts < MAX_SERVER_ERRORS) {
          await idb.put('outbox', job);
          return 'stop';
        }
      }
      job.state = 'failed';
      job.error = `${what}${error.message}`;
      await idb.put('outbox', job);
      return 'failed';
    }
  }
  job.state = 'sent';
  job.error = null;
  job.sentAt = Date.now();
  await idb.put('outbox', job);
  return 'done';
}

async function flushOnce() {
  let stopped = false;
  for (const job of (await list()).filter((j) => j.state === 'pending')) {
    const outcome = await runJob(job);
    await notify(outcome === 'done' ? job : null);
    if (outcome === 'stop') {
      stopped = true;
      break;
    }
  }
  return stopped;
}

/** Sends every pending job in order; on a network or server error, tries again later (2 s … 1 min). */
export async function flush() {
  if (!account) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  clearTimeout(timer);
  let stopped = false;
  try {
    do {
      again = false;
      const locked = navigator.locks ? navigator.locks.request('wangge-outbox', flushOnce) : flushOnce();
      stopped = await locked;
    } while (again && !stopped);
    await prune();
  } finally {
    running = false;
  }
  backoff = stopped ? Math.min(backoff + 1, 5) : 0;
  if (stopped) timer = setTimeout(flush, 2000 * 2 ** (backoff - 1));
  await notify();
}

async function prune() {
  const sent = (await list()).filter((j) => j.state === 'sent');
  for (const job of sent.slice(0, Math.max(0, sent.length - KEEP_SENT))) await idb.delete('outbox', job.key);
}

/** Removes a job (a failed one the user gives up on, or a sent one). */
export async function remove(key) {
  await idb.delete('outbox', key);
  await notify();
}

/** Starts the outbox for `accountId` (null: stopped). */
export function start(accountId) {
  account = accountId ? String(accountId) : null;
  backoff = 0;
  clearTimeout(timer);
  if (account) flush();
  else notify();
}

window.addEventListener('online', () => {
  backoff = 0;
  flush();
});
