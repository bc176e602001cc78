import { describe, expect, it } from 'vitest';
import { entryFromForm, validateCameraForm } from '@/lib/config/camera-form';
import { rawPassword, splitCredentials, withCredentials } from '@/lib/config/source-credentials';

const form = (fields: Record<string, unknown>) => {
  const checked = validateCameraForm({ id: 'door', name: 'Door', url: 'rtsp://10.0.0.2:554/stream1', ...fields });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.form;
};

describe('source credentials', () => {
  it('splits user and password out of a URL and puts them back, encoded', () => {
    expect(splitCredentials('rtsp://admin:p%40ss@10.0.0.2/live')).toEqual({ url: 'rtsp://10.0.0.2/live', username: 'admin', hasPassword: true });
    expect(splitCredentials('rtsp://10.0.0.2/live')).toEqual({ url: 'rtsp://10.0.0.2/live', username: '', hasPassword: false });
    expect(splitCredentials('test:smptebars')).toEqual({ url: 'test:smptebars', username: '', hasPassword: false });
    expect(withCredentials('rtsp://10.0.0.2/live', 'admin', { plain: 'p@ss:w/rd' })).toBe('rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.2/live');
    expect(new URL(withCredentials('rtsp://10.0.0.2/live', 'admin', { plain: 'p@ss:w/rd' })).password).toBe('p%40ss%3Aw%2Frd');
  });

  it('keeps ${VAR} references as references', () => {
    expect(withCredentials('rtsp://cam/live', '${CAM_USER}', { plain: 'x${CAM_PASS}' })).toBe('rtsp://${CAM_USER}:x${CAM_PASS}@cam/live');
    expect(rawPassword('rtsp://admin:${CAM_PASS}@cam/live')).toBe('${CAM_PASS}');
  });
});

describe('camera form', () => {
  it('names each field that is wrong, in words a user can act on', () => {
    const checked = validateCameraForm({ id: 'Front Door', name: ' ', url: 'rtsp://admin:secret@cam/live', fps: '0', width: 'wide' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['fps', 'id', 'name', 'url', 'width']);
    expect(checked.errors.url).toMatch(/own fields/);
    expect(JSON.stringify(checked.errors)).not.toContain('secret');
  });

  it('checks the URL against what camdash can read', () => {
    const checked = validateCameraForm({ id: 'door', name: 'Door', url: 'ftp://cam/live' });
    expect(checked).toMatchObject({ ok: false, errors: { url: expect.stringMatching(/^the URL must be rtsp:\/\//) } });
  });

  it('treats empty optional fields as not set', () => {
    expect(form({ fps: '', width: '', rtspTransport: '' })).toMatchObject({ fps: undefined, width: undefined, rtspTransport: undefined });
    expect(form({ fps: '12', width: '640' })).toMatchObject({ fps: 12, width: 640 });
  });

  it('builds the cameras.json entry with the credentials in the URL', () => {
    expect(entryFromForm(form({ username: 'admin', password: 'hunter2', rtspTransport: 'udp', fps: 10 }))).toEqual({
      id: 'door',
      name: 'Door',
      source: 'rtsp://admin:hunter2@10.0.0.2:554/stream1',
      rtspTransport: 'udp',
      fps: 10,
    });
  });

  it('keeps the saved password, and the fields the form does not show, when editing', () => {
    const saved = { id: 'door', name: 'Door', source: 'rtsp://admin:${DOOR_PASS}@10.0.0.2/live', substream: 'rtsp://10.0.0.2/sub', quality: 70, fps: 15 };
    const edited = entryFromForm(form({ name: 'Front door', username: 'admin', keepPassword: true, url: 'rtsp://10.0.0.3/live' }), saved);
    expect(edited).toEqual({ id: 'door', name: 'Front door', source: 'rtsp://admin:${DOOR_PASS}@10.0.0.3/live', substream: 'rtsp://10.0.0.2/sub', quality: 70 });
    // A new password replaces it; no password and no keep removes it.
    expect(entryFromForm(form({ username: 'admin', password: 'new', keepPassword: true }), saved).source).toBe('rtsp://admin:new@10.0.0.2:554/stream1');
    expect(entryFromForm(form({ username: 'admin' }), saved).source).toBe('rtsp://admin@10.0.0.2:554/stream1');
  });
});
