import { describe, expect, it } from 'vitest';
import { describeChange, initialConfigState, nextConfigState } from '@/lib/config/config-state';
import { parseCamerasText } from '@/lib/config/parse';

const read = (cameras: unknown[]) => parseCamerasText(JSON.stringify({ cameras }), 'cameras.json', {});
const door = { id: 'door', name: 'Door', source: 'test' };
const yard = { id: 'yard', name: 'Yard', source: 'test:smptebars' };

describe('configuration state across edits', () => {
  it('applies a good file, saying which cameras were added, removed and changed', () => {
    const first = nextConfigState(initialConfigState('/etc/camdash/cameras.json'), read([door, yard]), 1);
    expect(first.change).toEqual({ added: ['door', 'yard'], removed: [], changed: [] });
    const second = nextConfigState(first.state, read([{ ...door, fps: 5 }, { id: 'gate', name: 'Gate', source: 'test' }]), 2);
    expect(second.change).toEqual({ added: ['gate'], removed: ['yard'], changed: ['door'] });
    expect(describeChange(second.change!)).toBe('+gate -yard ~door');
    expect(second.state).toMatchObject({ errors: [], loadedAt: 2 });
  });

  it('keeps the last good cameras through a bad edit, with its errors, until a good one', () => {
    const good = nextConfigState(initialConfigState('cameras.json'), read([door]), 1).state;
    const bad = nextConfigState(good, parseCamerasText('{"cameras": [', 'cameras.json', {}), 2);
    expect(bad.change).toBeUndefined();
    expect(bad.state.cameras).toBe(good.cameras);
    expect(bad.state.loadedAt).toBe(1);
    expect(bad.state.errors).toEqual([expect.stringMatching(/^cameras.json: line 1, column \d+/)]);
    const fixed = nextConfigState(bad.state, read([door]), 3);
    expect(fixed.state.errors).toEqual([]);
    expect(fixed.change).toEqual({ added: [], removed: [], changed: [] });
  });

  it('runs no camera when the file was never good', () => {
    const bad = nextConfigState(initialConfigState('cameras.json'), { ok: false, errors: ['cameras.json: file not found'] }, 1);
    expect(bad.state).toMatchObject({ cameras: [], loadedAt: undefined, errors: ['cameras.json: file not found'] });
  });
});
