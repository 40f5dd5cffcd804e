// 上报: item from the catalog, photos, position (and its grid), description → the outbox.
import { cachedGet } from './api.js';
import { el, field, messageLine, newKey } from './dom.js';
import { clock } from './format.js';
import { enqueue, reportSteps, subscribe } from './outbox.js';
import { photoPicker } from './photos.js';
import { positionPicker } from './position.js';

function options(select, entries, placeholder) {
  select.replaceChildren(el('option', { value: '' }, placeholder),
    ...entries.map(([value, label]) => el('option', { value }, label)));
}

export async function render(main) {
  const message = messageLine('report-message');
  let catalog;
  try {
    const answer = await cachedGet('/api/v1/catalog');
    catalog = answer.data;
  } catch (error) {
    main.append(el('p', { class: 'msg error' }, error.offline ? '离线且手机上没有事项清单，请联网后再试' : error.message));
    return null;
  }

  const category = el('select', { id: 'report-category', required: true });
  const item = el('select', { id: 'report-item', required: true, disabled: true });
  options(category, catalog.categories.map((c) => [c.code, c.name]), '选择分类…');
  options(item, [], '先选择分类');
  category.addEventListener('change', () => {
    const items = catalog.items.filter((i) => i.categoryCode === category.value);
    options(item, items.map((i) => [i.code, i.name]), category.value ? '选择事项…' : '先选择分类');
    item.disabled = !category.value;
  });
  const description = el('textarea', { id: 'report-description', rows: 4, maxlength: 2000, required: true,
    placeholder: '在哪里、发生了什么、涉及哪些人或物' });
  const photos = photoPicker('report-photos');
  const position = positionPicker();
  const submit = el('button', { type: 'submit', id: 'report-submit', class: 'primary block' }, '上报');
  const form = el('form', { id: 'report-form', class: 'form', novalidate: true },
    field('分类', category), field('事项', item),
    el('div', { class: 'field' }, el('span', { class: 'label' }, '现场照片'), photos.node),
    el('div', { class: 'field' }, el('span', { class: 'label' }, '位置'), position.node),
    field('情况描述', description), message, submit);
  const done = el('ul', { id: 'report-done', class: 'done-list' });
  main.append(form, done);

  // One key per filled-in form: a double tap queues the same key twice, which adds nothing.
  let formKey = newKey();
  form.dataset.key = formKey;
  let submitting = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submitting) return;
    const chosen = catalog.items.find((i) => i.code === item.value);
    const where = position.value;
    const text = description.value.trim();
    if (!chosen) return message.show('请选择事项', 'error');
    if (!where) return message.show('请先定位，或手动输入坐标', 'error');
    if (!text) return message.show('请填写情况描述', 'error');
    submitting = true;
    submit.disabled = true;
    try {
      await photos.busy;
      const key = formKey;
      const body = { itemCode: chosen.code, description: text, lon: where.lon, lat: where.lat, source: 'grid_app' };
      await enqueue({ key, kind: 'report', title: `上报：${chosen.name}`, steps: reportSteps(body, photos.photos) });
      done.prepend(el('li', { class: 'done-item', dataset: { key, state: 'pending' } },
        el('span', {}, `${clock(Date.now())} ${chosen.name}`), el('span', { class: 'done-state' }, '待发送')));
      message.show(navigator.onLine ? '已保存，正在发送…' : '已保存在手机上，联网后自动发送', 'ok');
      description.value = '';
      photos.clear();
      formKey = newKey();
      form.dataset.key = formKey;
    } catch (error) {
      message.show(`保存失败：${error.message}`, 'error');
    } finally {
      submitting = false;
      submit.disabled = false;
    }
  });

  position.start();
  // What happened to the reports sent from this page.
  return subscribe(({ jobs }) => {
    for (const li of done.children) {
      const job = jobs.find((j) => j.key === li.dataset.key);
      if (!job || li.dataset.state === job.state) continue;
      li.dataset.state = job.state;
      const state = li.querySelector('.done-state');
      if (job.state === 'sent') state.textContent = `已上报 ${job.result?.serial ?? ''}`;
      else if (job.state === 'failed') state.textContent = `失败：${job.error}`;
    }
  });
}
