import type { ReactNode } from 'react';
import type { FieldErrors, FormValues } from './form-values';

type Props = {
  values: FormValues;
  errors: FieldErrors;
  hasSavedPassword: boolean;
  onChange(field: keyof FormValues, value: string): void;
};

const INPUT =
  'w-full rounded-md border border-neutral-700 bg-neutral-950 px-2.5 py-1.5 text-sm text-neutral-100 placeholder:text-neutral-600 focus:border-sky-500 focus:outline-none aria-[invalid=true]:border-red-500';

export function CameraFormFields({ values, errors, hasSavedPassword, onChange }: Props) {
  const input = (field: keyof FormValues, props: Record<string, unknown> = {}) => ({
    id: `camera-${field}`,
    name: field,
    value: values[field],
    onChange: (event: { target: { value: string } }) => onChange(field, event.target.value),
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `camera-${field}-error` : undefined,
    className: INPUT,
    ...props,
  });
  const isRtsp = /^rtsps?:/i.test(values.url.trim());
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field field="name" label="Name" error={errors.name}>
        <input {...input('name', { placeholder: 'Front door', autoComplete: 'off' })} />
      </Field>
      <Field field="id" label="Id (in URLs and cameras.json)" error={errors.id}>
        <input {...input('id', { placeholder: 'front-door', autoComplete: 'off', spellCheck: false })} />
      </Field>
      <Field field="url" label="Source URL" error={errors.url} wide hint="rtsp://192.168.1.64:554/stream1, http://…/video.mjpg, /dev/video0, a file path, or test">
        <input {...input('url', { placeholder: 'rtsp://192.168.1.64:554/stream1', autoComplete: 'off', spellCheck: false })} />
      </Field>
      <Field field="username" label="User name" error={errors.username}>
        <input {...input('username', { autoComplete: 'off' })} />
      </Field>
      <Field field="password" label="Password" error={errors.password} hint={hasSavedPassword ? 'saved; leave empty to keep it' : undefined}>
        <input {...input('password', { type: 'password', autoComplete: 'new-password', placeholder: hasSavedPassword ? '••••••••' : '' })} />
      </Field>
      <Field field="rtspTransport" label="RTSP transport" error={errors.rtspTransport}>
        <select {...input('rtspTransport', { disabled: !isRtsp })}>
          <option value="">TCP (default)</option>
          <option value="tcp">TCP</option>
          <option value="udp">UDP</option>
        </select>
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field field="fps" label="Frames/s" error={errors.fps}>
          <input {...input('fps', { inputMode: 'numeric', placeholder: 'camera' })} />
        </Field>
        <Field field="width" label="Width (px)" error={errors.width}>
          <input {...input('width', { inputMode: 'numeric', placeholder: 'camera' })} />
        </Field>
      </div>
      <div className="sm:col-span-2" data-field="motion">
        <label className="flex items-center gap-2 text-sm text-neutral-200">
          <input
            type="checkbox"
            id="camera-motion"
            name="motion"
            checked={values.motion === 'on'}
            onChange={(event) => onChange('motion', event.target.checked ? 'on' : '')}
            className="size-4 accent-sky-500"
          />
          Detect motion (the camera then runs with nobody watching, and its events are kept)
        </label>
        {errors.motion && (
          <p id="camera-motion-error" role="alert" className="mt-1 text-xs text-red-300">
            {errors.motion}
          </p>
        )}
      </div>
      {values.motion === 'on' && (
        <>
          <Field field="motionSensitivity" label="Motion sensitivity" error={errors.motionSensitivity}>
            <select {...input('motionSensitivity')}>
              <option value="low">Low (big, clear movement)</option>
              <option value="medium">Medium</option>
              <option value="high">High (small movement)</option>
            </select>
          </Field>
          <Field field="motionEndAfterSeconds" label="Event ends after (s without motion)" error={errors.motionEndAfterSeconds}>
            <input {...input('motionEndAfterSeconds', { inputMode: 'numeric', placeholder: '10' })} />
          </Field>
          <Field field="motionMasks" label="Masks: areas never looked at" error={errors.motionMasks} wide hint="polygons with x, y from 0 (left, top) to 1: [[[0, 0], [0.3, 0], [0.3, 0.1]]]">
            <textarea {...input('motionMasks', { rows: 2, spellCheck: false, placeholder: '[[[0, 0], [0.3, 0], [0.3, 0.1], [0, 0.1]]]' })} />
          </Field>
          <Field field="motionZones" label="Zones: named areas an event says it touched" error={errors.motionZones} wide hint='[{ "name": "driveway", "polygon": [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1]] }]'>
            <textarea {...input('motionZones', { rows: 2, spellCheck: false })} />
          </Field>
        </>
      )}
    </div>
  );
}

function Field({ field, label, error, hint, wide, children }: { field: string; label: string; error?: string | undefined; hint?: string | undefined; wide?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? 'sm:col-span-2' : ''} data-field={field}>
      <label htmlFor={`camera-${field}`} className="mb-1 block text-xs font-medium text-neutral-400">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`camera-${field}-error`} role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      ) : (
        hint && <p className="mt-1 text-xs text-neutral-500">{hint}</p>
      )}
    </div>
  );
}
