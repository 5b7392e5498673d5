// Renders one Camunda form (forms/*.form) with form-js in headless Chromium, as Tasklist shows it, fills it in as a
// person would (typing, choosing, ticking) and presses a "Complete" button outside the form, as Tasklist's is: the
// button asks form-js to submit, and only a submit without validation errors counts.
//
//   node fill-form.mjs SCENARIO.json
//
// SCENARIO.json: {"form": "/abs/forms/x.form", "variables": {...the task's variables, for the form's text...},
//                 "attempts": [{"steps": [...]}, ...]}
// A step is {"fill": "Label", "text": "..."} (clears the field, then types), {"choose": "Label", "option": "Option
// label"} (clicks the radio option), or {"check": "Label"} (clicks the checkbox). After the steps of an attempt the
// Complete button is clicked. The attempts after the first submit are not run: Tasklist leaves the form then.
//
// Prints one JSON object: {"formJs": version, "warnings": [...], "text": "the rendered form's text",
//   "attempts": [{"submitted": bool, "data": {...} (when submitted), "errors": [{"field", "message"}],
//   "text": "..."}], "pageErrors": [...]}
// and exits 0; any problem with the scenario itself (a label not on the form, a form that does not import) exits 1
// with one line on stderr.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = dirname(fileURLToPath(import.meta.url));
const formJs = join(here, 'node_modules', '@bpmn-io', 'form-js');
// The viewer bundle of @bpmn-io/form-js: form-js-viewer at the same version, the package Tasklist renders with.
const viewerScript = join(formJs, 'dist', 'form-viewer.umd.js');
const viewerCss = join(formJs, 'dist', 'assets', 'form-js.css');
const formJsVersion = JSON.parse(await readFile(join(formJs, 'package.json'), 'utf8')).version;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Chromium as this project runs it everywhere (docs/render too): no sandbox (root in CI), no GPU, and none of the
// background connections a closed network refuses.
const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

if (process.argv.length !== 3) {
  fail('usage: node fill-form.mjs SCENARIO.json');
}
const scenario = JSON.parse(await readFile(process.argv[2], 'utf8'));
const schema = JSON.parse(await readFile(scenario.form, 'utf8'));

const profile = await mkdtemp(join(tmpdir(), 'netsnap-forms-'));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: chromiumFlags,
  userDataDir: profile,
});
let result;
try {
  result = await run(browser);
} catch (e) {
  fail(e.message);
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');

async function run(browser) {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') {
      pageErrors.push(`${m.type()}: ${m.text()}`);
    }
  });
  // No URL is loaded: the page, form-js and its stylesheet all come from local files.
  await page.setContent('<!DOCTYPE html><html><body><main><div id="form"></div>'
    + '<button id="complete" type="button">Complete</button></main></body></html>');
  await page.addStyleTag({ path: viewerCss });
  await page.addScriptTag({ path: viewerScript });
  const warnings = await page.evaluate(async (schema, variables) => {
    const form = new FormViewer.Form({ container: document.querySelector('#form') });
    const { warnings } = await form.importSchema(schema, variables);
    window.submits = [];
    // What Tasklist's Complete button does: ask form-js to submit; errors keep the task open and are shown inline.
    document.querySelector('#complete').addEventListener('click', () => {
      const { data, errors } = form.submit();
      window.submits.push({ data, errors });
    });
    return warnings.map((w) => String(w.message ?? w));
  }, schema, scenario.variables ?? {});
  await page.evaluate(defineLookup);
  await settle(page);

  const attempts = [];
  for (const attempt of scenario.attempts ?? []) {
    for (const step of attempt.steps ?? []) {
      await perform(page, step);
    }
    await page.click('#complete');
    await settle(page);
    const submit = await page.evaluate(() => window.submits[window.submits.length - 1]);
    const errors = await shownErrors(page);
    const submitted = Object.keys(submit.errors).length === 0;
    if (!submitted && errors.length === 0) {
      throw new Error(`form-js refused the submit (${JSON.stringify(submit.errors)}) but the form shows no message`);
    }
    attempts.push({ submitted, ...(submitted ? { data: submit.data } : {}), errors, text: await formText(page) });
    if (submitted) {
      break;
    }
  }
  return { formJs: formJsVersion, warnings, text: attempts.length ? attempts[0].text : await formText(page),
    attempts, pageErrors };
}

/** One person's action on a field found by its label, with real input events. */
async function perform(page, step) {
  if ('fill' in step) {
    const input = await control(page, step.fill, 'input[type=text], input:not([type]), textarea');
    await input.click();
    await page.keyboard.down('Control');
    await page.keyboard.press('A');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    if (step.text) {
      await page.keyboard.type(step.text);
    }
    await page.keyboard.press('Tab');
  } else if ('choose' in step) {
    const option = await page.evaluateHandle((label, option) => {
      const field = window.fieldLabelled(label);
      return field && [...field.querySelectorAll('.fjs-inline-label label')]
        .find((l) => l.textContent.trim() === option);
    }, step.choose, step.option);
    if (!(await option.evaluate((o) => o instanceof Element))) {
      throw new Error(`no option "${step.option}" in field "${step.choose}"`);
    }
    await option.click();
  } else if ('check' in step) {
    const box = await control(page, step.check, 'input[type=checkbox]');
    await box.click();
  } else {
    throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
  await settle(page);
}

/** The input element of the visible field labelled {@code label}. */
async function control(page, label, selector) {
  const handle = await page.evaluateHandle((label, selector) => {
    const field = window.fieldLabelled(label);
    return field && field.querySelector(selector);
  }, label, selector);
  if (!(await handle.evaluate((h) => h instanceof Element))) {
    const shown = await page.evaluate(() => window.fieldLabels());
    throw new Error(`no field labelled "${label}" (${selector}) on the form; it shows ${JSON.stringify(shown)}`);
  }
  return handle;
}

/** Helpers in the page: a field by its label as a person reads it (without the required asterisk). */
function defineLookup() {
  const labelOf = (field) => {
    const label = field.querySelector('label.fjs-form-field-label');
    if (!label) {
      return null;
    }
    const copy = label.cloneNode(true);
    copy.querySelectorAll('.fjs-asterix').forEach((a) => a.remove());
    return copy.textContent.trim();
  };
  window.fieldLabels = () => [...document.querySelectorAll('.fjs-form-field')].map(labelOf).filter(Boolean);
  window.fieldLabelled = (label) => [...document.querySelectorAll('.fjs-form-field')]
    .find((field) => labelOf(field) === label) ?? null;
  window.shownErrors = () => [...document.querySelectorAll('.fjs-form-field')].flatMap((field) =>
    [...field.querySelectorAll('.fjs-form-field-error')].map((e) => e.textContent.trim()).filter(Boolean)
      .map((message) => ({ field: labelOf(field), message })));
}

async function shownErrors(page) {
  return page.evaluate(() => window.shownErrors());
}

/** The form's text as a person reads it: headings, text blocks, labels, descriptions, messages. */
async function formText(page) {
  return page.evaluate(() => {
    const form = document.querySelector('#form .fjs-form').cloneNode(true);
    form.querySelectorAll('.fjs-powered-by').forEach((p) => p.remove());
    return form.innerText;
  });
}

/** Lets form-js (preact) render what the last event changed. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

function fail(message) {
  process.stderr.write(`fill-form: ${message}\n`);
  process.exit(1);
}
