'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { validateCameraForm } from '@/lib/config/camera-form';
import { CameraFormFields } from './camera-form-fields';
import { EMPTY_VALUES, formBody, idFromName, valuesFromSettings, type FieldErrors, type FormValues, type SavedSettings } from './form-values';
import { useConnectionTest } from './use-connection-test';

type Props = {
  /** The camera being edited; absent to add one. */
  saved?: SavedSettings | undefined;
  onClose(): void;
};

const BUTTON = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';

/**
 * Add or edit a camera. Checked in the browser with the server's own schema as the user goes, and
 * again by the server, which writes cameras.json; the hot reload then starts the camera.
 */
export function CameraFormDialog({ saved, onClose }: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<FormValues>(saved ? valuesFromSettings(saved) : EMPTY_VALUES);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [idTouched, setIdTouched] = useState(Boolean(saved));
  const probe = useConnectionTest();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const change = (field: keyof FormValues, value: string) => {
    setValues((current) => ({ ...current, [field]: value, ...(field === 'name' && !idTouched ? { id: idFromName(value) } : {}) }));
    if (field === 'id') setIdTouched(true);
    setErrors((current) => ({ ...current, [field]: undefined, form: undefined }));
    probe.reset();
  };

  const checked = () => {
    const result = validateCameraForm(formBody(values, saved));
    if (!result.ok) setErrors(result.errors);
    return result.ok;
  };

  const testConnection = () => {
    if (checked()) void probe.run(formBody(values, saved), saved?.id);
  };

  const send = async (method: 'POST' | 'PUT' | 'DELETE') => {
    setBusy(true);
    try {
      const url = method === 'POST' ? '/api/cameras' : `/api/cameras/${encodeURIComponent(saved!.id)}`;
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'DELETE' ? undefined : JSON.stringify(formBody(values, saved)),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string; errors?: FieldErrors };
      if (!response.ok) {
        setErrors(body.errors ?? { form: `the server answered HTTP ${response.status}` });
        return;
      }
      onClose();
      if (method === 'DELETE') router.push('/');
      else if (saved && body.id !== saved.id) router.push(`/cameras/${encodeURIComponent(body.id ?? '')}`);
      router.refresh();
    } catch (error) {
      setErrors({ form: `the server could not be reached (${(error as Error).message})` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="camera-form-title"
      className="m-auto w-[min(40rem,calc(100vw-1.5rem))] rounded-xl border border-neutral-700 bg-neutral-900 p-0 text-neutral-100 backdrop:bg-black/70"
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (checked()) void send(saved ? 'PUT' : 'POST');
        }}
        className="space-y-4 p-4 sm:p-5"
      >
        <h2 id="camera-form-title" className="text-base font-semibold">
          {saved ? `Edit ${saved.name}` : 'Add a camera'}
        </h2>
        <CameraFormFields values={values} errors={errors} hasSavedPassword={Boolean(saved?.hasPassword)} onChange={change} />

        <div className="min-h-10 rounded-md bg-neutral-950 p-2 text-sm" data-connection-test={probe.result.state} aria-live="polite">
          {probe.result.state === 'idle' && <span className="text-neutral-500">Test the connection before saving: it shows the camera&apos;s picture.</span>}
          {probe.result.state === 'testing' && <span className="text-neutral-400">Connecting… (up to 10 s)</span>}
          {probe.result.state === 'failed' && <span className="text-red-300">Could not connect: {probe.result.reason}</span>}
          {probe.result.state === 'ok' && (
            <figure>
              {/* eslint-disable-next-line @next/next/no-img-element -- a blob: URL of the test picture */}
              <img src={probe.result.pictureUrl} alt="Test picture from the camera" className="max-h-48 rounded" />
              <figcaption className="mt-1 text-xs text-emerald-300">Connected: first picture after {(probe.result.elapsedMs / 1000).toFixed(1)} s</figcaption>
            </figure>
          )}
        </div>

        {errors.form && (
          <p role="alert" className="text-sm text-red-300">
            {errors.form}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          {saved && (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Remove ${saved.name} from cameras.json?`)) void send('DELETE');
              }}
              className={`${BUTTON} mr-auto text-red-300 hover:bg-red-950`}
            >
              Remove
            </button>
          )}
          <button type="button" onClick={testConnection} disabled={busy || probe.result.state === 'testing'} className={`${BUTTON} ml-auto bg-neutral-800 hover:bg-neutral-700`}>
            Test connection
          </button>
          <button type="button" onClick={() => dialog.current?.close()} className={`${BUTTON} hover:bg-neutral-800`}>
            Cancel
          </button>
          <button type="submit" disabled={busy} className={`${BUTTON} bg-sky-600 text-white hover:bg-sky-500`}>
            {saved ? 'Save' : 'Add camera'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
