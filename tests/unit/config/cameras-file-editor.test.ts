import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CamerasFileEditor } from '@/lib/config/cameras-file-editor';
import { validateCameraForm, type CameraForm } from '@/lib/config/camera-form';
import { addCamera, readCamerasText, removeCamera, replaceCamera } from '@/lib/config/edit-cameras-text';
import { parseCamerasText } from '@/lib/config/parse';

// A file as people write it: one camera per line, aligned by hand, a password from the environment.
const HANDWRITTEN = `{
  "cameras": [
    { "id": "door",  "name": "Door",  "source": "rtsp://admin:\${DOOR_PASS}@10.0.0.2/live", "fps": 10 },
    { "id": "yard",  "name": "Yard",  "source": "test:smptebars" },
    { "id": "shed",  "name": "Shed",  "source": "test:testsrc" }
  ]
}
`;
const env = { DOOR_PASS: 'hunter2' };
const lines = (text: string) => text.split('\n');

const form = (fields: Record<string, unknown>): CameraForm => {
  const checked = validateCameraForm({ name: 'Camera', url: 'test:testsrc2', ...fields });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.form;
};

function tempFile(text?: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'camdash-editor-')), 'cameras.json');
  if (text !== undefined) writeFileSync(file, text);
  return file;
}

describe('editing the text of cameras.json', () => {
  const file = readCamerasText(HANDWRITTEN)!;

  it('adds, replaces and removes one camera, leaving every other line as it was', () => {
    const added = addCamera(file, { id: 'gate', name: 'Gate', source: 'test' });
    expect(lines(added).slice(0, 4)).toEqual(lines(HANDWRITTEN).slice(0, 4));
    expect(lines(added)[4]).toBe(`${lines(HANDWRITTEN)[4]},`); // the one byte an append must add
    expect(lines(added).slice(-3)).toEqual(lines(HANDWRITTEN).slice(-3));

    const replaced = replaceCamera(file, 1, { id: 'yard', name: 'Back yard', source: 'test:smptebars' });
    expect(replaced).toContain(lines(HANDWRITTEN)[2]!);
    expect(replaced).toContain(lines(HANDWRITTEN)[4]!);

    for (const index of [0, 1, 2]) {
      const removed = removeCamera(file, index);
      const kept = [0, 1, 2].filter((other) => other !== index).map((other) => lines(HANDWRITTEN)[2 + other]!.replace(/,$/, ''));
      for (const line of kept) expect(removed).toContain(line);
      const parsed = parseCamerasText(removed, 'cameras.json', env);
      expect(parsed.ok && parsed.config.cameras.map((camera) => camera.id)).toEqual(['door', 'yard', 'shed'].filter((_, other) => other !== index));
    }
    for (const text of [added, replaced]) expect(parseCamerasText(text, 'cameras.json', env).ok).toBe(true);
  });

  it('empties and refills a list down to and from no camera', () => {
    let text = HANDWRITTEN;
    for (let left = 3; left > 0; left -= 1) text = removeCamera(readCamerasText(text)!, 0);
    expect(readCamerasText(text)!.cameras).toEqual([]);
    text = addCamera(readCamerasText(text)!, { id: 'gate', name: 'Gate', source: 'test' });
    expect(parseCamerasText(text, 'cameras.json', env)).toMatchObject({ ok: true, config: { cameras: [{ id: 'gate' }] } });
  });
});

describe('saving the camera form to cameras.json', () => {
  it('writes the edit, keeps the previous version as .bak, and leaves no temporary file', async () => {
    const file = tempFile(HANDWRITTEN);
    chmodSync(file, 0o640);
    const editor = new CamerasFileEditor(file, env);
    expect(await editor.add(form({ id: 'gate', name: 'Gate' }))).toEqual({ ok: true, id: 'gate' });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(HANDWRITTEN);
    expect(readFileSync(file, 'utf8')).toContain('"id": "gate"');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['cameras.json', 'cameras.json.bak']);
  });

  it('keeps the saved password (an environment reference) when the form leaves it blank', async () => {
    const file = tempFile(HANDWRITTEN);
    const editor = new CamerasFileEditor(file, env);
    const outcome = await editor.update('door', form({ id: 'door', name: 'Front door', url: 'rtsp://10.0.0.2/live', username: 'admin', keepPassword: true }));
    expect(outcome).toEqual({ ok: true, id: 'door' });
    expect(await editor.savedEntry('door')).toEqual({ id: 'door', name: 'Front door', source: 'rtsp://admin:${DOOR_PASS}@10.0.0.2/live' });
  });

  it('lands both of two saves made at once', async () => {
    const file = tempFile(HANDWRITTEN);
    const editor = new CamerasFileEditor(file, env);
    const outcomes = await Promise.all([editor.add(form({ id: 'gate' })), editor.add(form({ id: 'roof' })), editor.remove('shed')]);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const parsed = parseCamerasText(readFileSync(file, 'utf8'), 'cameras.json', env);
    expect(parsed.ok && parsed.config.cameras.map((camera) => camera.id)).toEqual(['door', 'yard', 'gate', 'roof']);
  });

  it('refuses a duplicate id, an unknown camera, and a file that is broken already, writing nothing', async () => {
    const file = tempFile(HANDWRITTEN);
    const editor = new CamerasFileEditor(file, env);
    expect(await editor.add(form({ id: 'yard' }))).toMatchObject({ ok: false, status: 400, errors: { id: expect.stringMatching(/already/) } });
    expect(await editor.update('nope', form({ id: 'nope' }))).toMatchObject({ ok: false, status: 404 });
    writeFileSync(file, HANDWRITTEN.replace('"yard",', '"yard"'));
    const broken = await editor.add(form({ id: 'gate' }));
    expect(broken).toMatchObject({ ok: false, status: 409, errors: { form: expect.stringMatching(/fix it by hand first: \S*cameras.json: line 4, column \d+/) } });
    expect(readdirSync(path.dirname(file))).toEqual(['cameras.json']);
  });

  it('creates the file when there is none yet', async () => {
    const file = tempFile();
    expect(await new CamerasFileEditor(file, env).add(form({ id: 'gate' }))).toEqual({ ok: true, id: 'gate' });
    expect(parseCamerasText(readFileSync(file, 'utf8'), 'cameras.json', env)).toMatchObject({ ok: true, config: { cameras: [{ id: 'gate' }] } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
