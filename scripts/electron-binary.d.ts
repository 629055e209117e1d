/** Path of the installed Electron binary, or null (never downloads). */
export function electronBinary(): string | null;
