// Local time is the browser's; these tests pin a zone with DST. Imported first: the formatters
// made when a module loads keep the zone of that moment.
process.env.TZ = 'Europe/Berlin';
