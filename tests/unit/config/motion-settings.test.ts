import { describe, expect, it } from 'vitest';
import { entryFromForm, motionFields, validateCameraForm } from '@/lib/config/camera-form';
import { parseCamerasText } from '@/lib/config/parse';
import { cameraSchema } from '@/lib/config/schema';

const camera = (motion: unknown) => ({ id: 'yard', name: 'Yard', source: 'test', motion });
const parsed = (motion: unknown) => cameraSchema.safeParse(camera(motion));
const problems = (motion: unknown) => {
  const result = parsed(motion);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the motion entry of cameras.json', () => {
  it('takes true as the defaults, and false or nothing as off', () => {
    expect(parsed(true).data?.motion).toEqual({ sensitivity: 'medium', masks: [], zones: [], endAfterSeconds: 10 });
    expect(parsed(false).data?.motion).toBeUndefined();
    expect(parsed(undefined).data?.motion).toBeUndefined();
  });

  it('keeps masks, zones, sensitivity and the end delay as written', () => {
    const zone = { name: 'path', polygon: [[0, 0.5], [0.5, 0.5], [0.5, 1]] };
    expect(parsed({ sensitivity: 'high', masks: [[[0, 0], [1, 0], [1, 0.1]]], zones: [zone], endAfterSeconds: 30 }).data?.motion).toEqual({
      sensitivity: 'high',
      masks: [[[0, 0], [1, 0], [1, 0.1]]],
      zones: [zone],
      endAfterSeconds: 30,
    });
  });

  it('names the path of each mistake inside it', () => {
    expect(problems('yes')).toEqual(['motion: must be true, false or { "sensitivity", "masks", "zones", "endAfterSeconds" }']);
    expect(problems({ sensitivity: 'huge' })).toEqual(['motion.sensitivity: must be "low", "medium" or "high"']);
    expect(problems({ masks: [[[0, 0], [1, 0]]] })).toEqual(['motion.masks.0: must have at least 3 points']);
    expect(problems({ masks: [[[0, 0], [1, 0], [1.5, 1]]] })).toEqual(['motion.masks.0.2.0: must be from 0 to 1 (a fraction of the picture)']);
    expect(problems({ zones: [{ name: 'a', polygon: [[0, 0], [1, 0], [1, 1]] }, { name: 'a', polygon: [[0, 0], [1, 0], [1, 1]] }] })).toEqual([
      'motion.zones.1.name: duplicate zone name, already used by zones[0]',
    ]);
    expect(problems({ endAfterSeconds: 0 })).toEqual(['motion.endAfterSeconds: must be from 1 to 3600 seconds']);
    expect(problems({ sensitivty: 'low' })).toEqual(['motion: has no field "sensitivty" (it takes "sensitivity", "masks", "zones", "endAfterSeconds")']);
  });

  it('is reported with the file, the camera and the JSON path, like every field', () => {
    const result = parseCamerasText(JSON.stringify({ cameras: [camera({ zones: [{ name: '', polygon: [] }] })] }), 'cameras.json', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/cameras\.json: cameras\[0\] \("yard"\)\.motion\.zones\[0\]\.name: must not be empty/);
  });
});

describe('motion in the camera form', () => {
  const form = (fields: Record<string, unknown>) => ({ id: 'yard', name: 'Yard', url: 'test', ...fields });

  it('writes true while every setting is its default, the settings otherwise', () => {
    const plain = validateCameraForm(form({ motion: true }));
    expect(plain.ok && entryFromForm(plain.form).motion).toBe(true);
    const tuned = validateCameraForm(form({ motion: true, motionSensitivity: 'low', motionEndAfterSeconds: '20', motionMasks: '[[[0,0],[1,0],[1,0.1]]]' }));
    expect(tuned.ok && entryFromForm(tuned.form).motion).toEqual({ sensitivity: 'low', endAfterSeconds: 20, masks: [[[0, 0], [1, 0], [1, 0.1]]] });
    const off = validateCameraForm(form({ motion: false, motionSensitivity: 'low' }));
    expect(off.ok && 'motion' in entryFromForm(off.form, { motion: true })).toBe(false);
  });

  it('puts each mistake on its own field', () => {
    const notJson = validateCameraForm(form({ motion: true, motionMasks: '[[0,0]' }));
    expect(!notJson.ok && notJson.errors.motionMasks).toMatch(/^not JSON: expected a list of polygons/);
    const badPoint = validateCameraForm(form({ motion: true, motionZones: '[{"name":"door","polygon":[[0,0],[2,0],[1,1]]}]' }));
    expect(!badPoint.ok && badPoint.errors.motionZones).toBe('[0][polygon][1][0]: must be from 0 to 1 (a fraction of the picture)');
    const badDelay = validateCameraForm(form({ motion: true, motionEndAfterSeconds: '0' }));
    expect(!badDelay.ok && badDelay.errors.motionEndAfterSeconds).toBe('from 1 to 3600');
  });

  it('reads the saved entry back into the form', () => {
    expect(motionFields(undefined)).toEqual({ motion: false });
    expect(motionFields(true)).toEqual({ motion: true });
    expect(motionFields({ sensitivity: 'high', masks: [[[0, 0], [1, 0], [1, 1]]], endAfterSeconds: 5 })).toEqual({
      motion: true,
      motionSensitivity: 'high',
      motionEndAfterSeconds: 5,
      motionMasks: '[[[0,0],[1,0],[1,1]]]',
    });
  });
});
