export function ConfigErrors({ errors }: { errors: string[] }) {
  return (
    <div role="alert" className="mb-3 rounded-lg border border-red-500/40 bg-red-950/40 p-3 text-sm text-red-200">
      <p className="font-medium">cameras.json has errors, so no camera runs until they are fixed:</p>
      <ul className="mt-1 list-inside list-disc font-mono text-xs">
        {errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  );
}
