// placeholder until the stand-in lifecycle lands
export default async function (): Promise<void> {}
