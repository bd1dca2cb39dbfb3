// How often the manifest is rewritten while the episode runs. Workers report their counts at most
// this often too, so the counts in it are at most about twice this old (a restart recounts rows
// and bytes from the files themselves). Its own module: workers pace their counts by it and
// should not load the manifest's code to learn it.
export const MANIFEST_INTERVAL_MS = 5000;
