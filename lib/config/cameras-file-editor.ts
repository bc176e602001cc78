import { readFile } from 'node:fs/promises';
import { entryFromForm, type CameraForm, type FieldErrors, type RawCameraEntry } from './camera-form';
import { addCamera, EMPTY_CAMERAS_TEXT, indexOfCamera, readCamerasText, removeCamera, replaceCamera, type CamerasText } from './edit-cameras-text';
import { fileLabel } from './load';
import { parseCamerasText } from './parse';
import { writeAtomically } from './write-atomically';

export type EditOutcome =
  | { ok: true; id: string }
  | { ok: false; status: 400 | 404 | 409 | 500; errors: FieldErrors };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Saves the camera form's edits to cameras.json: one edit at a time, each on the file as it is on
 * disk at that moment (so two saves in a row both land, and a hand edit made meanwhile is kept),
 * checked as a whole before it is written, written atomically, the previous version kept as
 * `<file>.bak`. The hot reload then applies it like any other edit.
 */
export class CamerasFileEditor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly env: Env = process.env,
    /** Applies the written file at once (the hot reload), so that the answer comes after the change. */
    private readonly afterWrite: () => Promise<unknown> = async () => {},
  ) {}

  add(form: CameraForm): Promise<EditOutcome> {
    return this.edit({ allowMissingFile: true }, (current) => {
      if (indexOfCamera(current, form.id) !== -1) return { errors: { id: `"${form.id}" is already the id of another camera` } };
      return { text: addCamera(current, entryFromForm(form)), id: form.id };
    });
  }

  update(id: string, form: CameraForm): Promise<EditOutcome> {
    return this.edit({ allowMissingFile: false }, (current) => {
      const index = indexOfCamera(current, id);
      if (index === -1) return { status: 404, errors: { form: `there is no camera "${id}" (any more)` } };
      const clash = indexOfCamera(current, form.id);
      if (clash !== -1 && clash !== index) return { errors: { id: `"${form.id}" is already the id of another camera` } };
      return { text: replaceCamera(current, index, entryFromForm(form, current.cameras[index])), id: form.id };
    });
  }

  remove(id: string): Promise<EditOutcome> {
    return this.edit({ allowMissingFile: false }, (current) => {
      const index = indexOfCamera(current, id);
      if (index === -1) return { status: 404, errors: { form: `there is no camera "${id}" (any more)` } };
      return { text: removeCamera(current, index), id };
    });
  }

  /** The saved entry of a camera, as written in the file (with ${VAR} references, not their values). */
  async savedEntry(id: string): Promise<RawCameraEntry | undefined> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    const current = text === undefined ? undefined : readCamerasText(text);
    return current?.cameras[current ? indexOfCamera(current, id) : -1];
  }

  private edit(
    { allowMissingFile }: { allowMissingFile: boolean },
    change: (current: CamerasText) => { text: string; id: string } | { status?: 404; errors: FieldErrors },
  ): Promise<EditOutcome> {
    const run = this.queue.then(() => this.editNow(allowMissingFile, change));
    this.queue = run.catch(() => {});
    return run;
  }

  private async editNow(
    allowMissingFile: boolean,
    change: (current: CamerasText) => { text: string; id: string } | { status?: 404; errors: FieldErrors },
  ): Promise<EditOutcome> {
    const label = fileLabel(this.file);
    let before: string | undefined;
    try {
      before = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return failure(500, `${label} cannot be read`);
      if (!allowMissingFile) return failure(404, `${label} does not exist`);
    }
    const current = readCamerasText(before ?? EMPTY_CAMERAS_TEXT);
    const broken = before === undefined ? [] : problems(before, label, this.env);
    if (!current || broken.length > 0) {
      return failure(409, `${label} has errors, so it is not changed from here; fix it by hand first: ${broken.join('; ')}`);
    }
    const changed = change(current);
    if ('errors' in changed) return { ok: false, status: changed.status ?? 400, errors: changed.errors };

    const after = problems(changed.text, label, this.env);
    if (after.length > 0) return failure(400, after.join('; '));
    try {
      if (before !== undefined) await writeAtomically(`${this.file}.bak`, before);
      await writeAtomically(this.file, changed.text);
    } catch (error) {
      return failure(500, `${label} could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    await this.afterWrite();
    return { ok: true, id: changed.id };
  }
}

function problems(text: string, label: string, env: Env): string[] {
  const parsed = parseCamerasText(text, label, env);
  return parsed.ok ? [] : parsed.errors;
}

function failure(status: 400 | 404 | 409 | 500, message: string): EditOutcome {
  return { ok: false, status, errors: { form: message } };
}
