// How often the manifest is rewritten while the episode runs, so a crash leaves counts at most
// this old (the rows themselves are in their files). Its own module: workers pace their counts by
// it and should not load the manifest's code to learn it.
export const MANIFEST_INTERVAL_MS = 5000;
