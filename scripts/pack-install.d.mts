export declare const ROOT: string
export declare function npmEnv(extra?: Record<string, string>): NodeJS.ProcessEnv
export declare function run(cmd: string, args: string[], opts?: {cwd?: string; env?: NodeJS.ProcessEnv}): Promise<{stdout: string; stderr: string}>
export declare function copySources(dir: string): Promise<void>
export declare function packFresh(work?: string): Promise<string>
export declare function installTarball(tarball: string, prefix: string): Promise<{bin: string; dir: string}>
export declare function installGitUrl(work: string, prefix: string): Promise<{bin: string; dir: string}>
