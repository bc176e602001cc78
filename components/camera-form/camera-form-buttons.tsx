'use client';

import { useState } from 'react';
import { CameraFormDialog } from './camera-form-dialog';
import type { SavedSettings } from './form-values';

const BUTTON = 'rounded-md px-2.5 py-1 text-sm text-neutral-300 ring-1 ring-neutral-700 hover:bg-neutral-800 hover:text-white disabled:opacity-50';

export function AddCameraButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className={BUTTON}>
        Add camera
      </button>
      {open && <CameraFormDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/** Loads the camera's saved settings (never its password) and opens the form on them. */
export function EditCameraButton({ cameraId, className = BUTTON }: { cameraId: string; className?: string }) {
  const [saved, setSaved] = useState<SavedSettings | null>(null);
  const [failed, setFailed] = useState(false);
  const open = async () => {
    setFailed(false);
    const response = await fetch(`/api/cameras/${encodeURIComponent(cameraId)}/settings`, { cache: 'no-store' }).catch(() => null);
    if (response?.ok) setSaved((await response.json()) as SavedSettings);
    else setFailed(true);
  };
  return (
    <>
      <button type="button" onClick={() => void open()} title={failed ? 'Could not load the camera settings' : 'Edit this camera'} className={className}>
        Edit
      </button>
      {saved && <CameraFormDialog saved={saved} onClose={() => setSaved(null)} />}
    </>
  );
}
