// 数据导入: choose a register, download its template, upload a CSV or XLSX file as is, then follow the job
// every 500 ms (已处理 N 行，新增/更新/未变/拒绝) to its summary and error report; the recent imports below.
import { el, replace, byId } from './dom.js';
import { time } from './format.js';
import { regApi, messageRow, apiLink } from './registers-common.js';

const POLL_MS = 500;
const MAX_FAILURES = 5;
const form = byId('imp-form');
const sheet = byId('imp-sheet');
const file = byId('imp-file');
const start = byId('imp-start');
const status = byId('imp-status');
const jobsRows = byId('imp-jobs-rows');
const COLUMNS = 11;
const state = { sheets: null, token: 0, timer: null, failures: 0 };

const STATUS = { running: '导入中', done: '已完成', failed: '失败' };

function setError(text) {
  const e = byId('imp-error');
  e.textContent = text;
  e.hidden = !text;
}

const figures = (job) => `新增 ${job.created}，更新 ${job.updated}，未变 ${job.unchanged}，拒绝 ${job.rejected}`;

function errorsLink(job, id = null) {
  const href = apiLink(job.errorsURL);
  if (!href) return null;
  return el('a', { id, class: 'imp-errors', href, download: `import-${job.id}-errors.csv` },
    job.rejected ? `错误报告（${job.rejected} 行，CSV）` : '错误报告（CSV）');
}

/** The job being followed: a progress line while it runs, then its summary. */
function renderJob(job) {
  status.hidden = false;
  Object.assign(status.dataset, {
    job: String(job.id), status: job.status, processed: String(job.processed), created: String(job.created),
    updated: String(job.updated), unchanged: String(job.unchanged), rejected: String(job.rejected),
  });
  status.className = `imp-status wide imp-${job.status}`;
  const name = `《${job.sheetTitle}》${job.filename ?? ''}`;
  if (job.status === 'running') {
    replace(status, el('p', { id: 'imp-progress', class: 'imp-line' },
      el('span', { class: 'spinner', 'aria-hidden': 'true' }), `正在导入${name}：已处理 ${job.processed} 行，${figures(job)}`));
    return;
  }
  replace(status,
    el('p', { id: 'imp-summary', class: 'imp-line' },
      el('strong', {}, job.status === 'done' ? '导入完成' : '导入失败'), `：${name}，已处理 ${job.processed} 行，${figures(job)}`),
    job.status === 'failed' && job.message ? el('p', { id: 'imp-message', class: 'imp-message error' }, job.message) : null,
    errorsLink(job, 'imp-errors'));
}

function stopPolling() {
  clearTimeout(state.timer);
  state.timer = null;
}

async function poll(id, token) {
  let job;
  try {
    job = await regApi.importJob(id);
    state.failures = 0;
  } catch (error) {
    if (token !== state.token) return;
    if (error.status === 401 || ++state.failures > MAX_FAILURES) {
      setError(`无法取得导入进度：${error.message}`);
      start.disabled = false;
      return;
    }
    state.timer = setTimeout(() => poll(id, token), POLL_MS);
    return;
  }
  if (token !== state.token) return;
  follow(job, token);
}

function follow(job, token) {
  renderJob(job);
  if (job.status === 'running') {
    state.timer = setTimeout(() => poll(job.id, token), POLL_MS);
    return;
  }
  start.disabled = false;
  loadJobs();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  setError('');
  const chosen = file.files[0];
  if (!sheet.value) return setError('请选择数据表。');
  if (!chosen) {
    file.focus();
    return setError('请选择要导入的文件（CSV 或 XLSX）。');
  }
  const mode = form.querySelector('input[name="imp-mode"]:checked')?.value ?? 'valid';
  stopPolling();
  const token = ++state.token;
  state.failures = 0;
  start.disabled = true;
  status.hidden = false;
  status.className = 'imp-status wide';
  delete status.dataset.status;
  replace(status, el('p', { class: 'imp-line muted' }, `正在上传 ${chosen.name}…`));
  let job;
  try {
    job = await regApi.startImport(sheet.value, mode, chosen);
  } catch (error) {
    if (token !== state.token) return;
    start.disabled = false;
    status.hidden = true;
    if (error.status !== 401) setError(`导入未能开始：${error.message}`);
    return;
  }
  if (token !== state.token) return;
  file.value = '';
  follow(job, token);
});

function describeSheet() {
  const s = state.sheets?.find((x) => x.id === sheet.value);
  const xlsx = byId('imp-xlsx');
  const csv = byId('imp-csv');
  for (const a of [xlsx, csv]) a.removeAttribute('href');
  if (!s) {
    byId('imp-columns').textContent = '';
    return;
  }
  if (apiLink(s.templateXLSX)) xlsx.href = s.templateXLSX;
  if (apiLink(s.templateCSV)) csv.href = s.templateCSV;
  xlsx.setAttribute('aria-label', `下载“${s.title}”Excel 模板`);
  csv.setAttribute('aria-label', `下载“${s.title}”CSV 模板`);
  byId('imp-columns').textContent = `列（* 为必填）：${s.columns.join('、')}`;
}
sheet.addEventListener('change', describeSheet);

async function loadSheets() {
  if (state.sheets) return;
  const { items } = await regApi.sheets();
  state.sheets = items;
  replace(sheet, ...items.map((s) => el('option', { value: s.id }, s.title)));
  sheet.value = items.some((s) => s.id === 'people') ? 'people' : items[0]?.id ?? '';
  describeSheet();
}

async function loadJobs() {
  const token = state.token;
  let items;
  try {
    ({ items } = await regApi.imports());
  } catch (error) {
    if (error.status !== 401) replace(jobsRows, messageRow(COLUMNS, `加载失败：${error.message}`, true));
    return;
  }
  if (token !== state.token) return;
  if (!items.length) {
    replace(jobsRows, messageRow(COLUMNS, '还没有导入记录。'));
    return;
  }
  replace(jobsRows, ...items.map((j) => el('tr', { class: 'import-row', dataset: { id: String(j.id), status: j.status } },
    el('td', {}, time(j.startedAt)),
    el('td', {}, j.sheetTitle),
    el('td', { class: 'col-file' }, j.filename ?? '—'),
    el('td', {}, j.allOrNothing ? '全部成功才导入' : '导入有效行'),
    el('td', {}, el('span', { class: `status is-${j.status}` }, STATUS[j.status] ?? j.status)),
    ...[j.processed, j.created, j.updated, j.unchanged, j.rejected].map((n) => el('td', { class: n ? 'num' : 'num zero' }, String(n))),
    el('td', {}, errorsLink(j) ?? el('span', { class: 'muted' }, '—')))));
}

byId('imp-refresh').addEventListener('click', () => loadJobs());

export async function show() {
  try {
    await loadSheets();
  } catch (error) {
    if (error.status !== 401) setError(`无法读取数据表：${error.message}`);
  }
  await loadJobs();
}

export function clear() {
  state.token++;
  stopPolling();
  state.sheets = null;
  form.reset();
  replace(sheet);
  describeSheet();
  setError('');
  status.hidden = true;
  replace(status);
  replace(jobsRows);
  start.disabled = false;
}
