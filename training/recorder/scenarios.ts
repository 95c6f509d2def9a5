import { desktop, editor, files, pdf, sideChat, terminal, web, webIde, type Step } from './steps.js';

/** A scripted recording session: what the student does, second by second. */
export interface Scenario {
  name: string;
  description: string;
  steps: Step[];
}

/**
 * The catalogue. Each scenario is one recording session (one desktop, one
 * resolution); the set (holdout/train) changes the content (code, commands,
 * site variant and texts), not the script. `v` picks the page's content item.
 */
export function scenarioCatalogue(): Scenario[] {
  return [
    { name: 'terminal-c', description: 'xterm: compile and run a C program, ls, cat', steps: [terminal('c', 45)] },
    { name: 'geany-search', description: 'geany typing Python, then a search engine, back to geany', steps: [editor('geany', 'python', 30), web('search', 18, { theme: 'light', v: 0 }), editor('geany', 'python', 12)] },
    { name: 'mousepad-c', description: 'mousepad typing C and scrolling', steps: [editor('mousepad', 'c', 45)] },
    { name: 'files-pdf', description: 'pcmanfm browsing folders, then the exam PDF in mupdf', steps: [files(20), pdf(25)] },
    { name: 'java-qa', description: 'xterm: javac and tests, then a Q&A site (dark)', steps: [terminal('java', 30), web('qa', 20, { theme: 'dark', v: 0 })] },
    { name: 'geany-docs', description: 'geany, then documentation in the browser, back to geany', steps: [editor('geany', 'python', 15), web('docs', 22, { theme: 'light', v: 0 }), editor('geany', 'python', 10)] },
    { name: 'video', description: 'xterm, then a video site playing a video', steps: [terminal('python', 12), web('video', 28, { theme: 'dark', v: 1 })] },
    { name: 'ai-chat', description: 'mousepad, a generative-AI chat streaming an answer (light), back to mousepad', steps: [editor('mousepad', 'c', 14), web('aichat', 24, { theme: 'light', v: 0 }), editor('mousepad', 'c', 10)] },
    { name: 'ai-chat-dark', description: 'generative-AI chat (dark) then xterm', steps: [web('aichat', 28, { theme: 'dark', v: 1 }), terminal('python', 15)] },
    { name: 'messaging', description: 'messaging web app, then xterm', steps: [web('messaging', 24, { theme: 'light', v: 0 }), terminal('c', 14)] },
    { name: 'video-call', description: 'a video call with participant tiles, then the bare desktop', steps: [web('videocall', 28, { theme: 'dark', v: 0 }), desktop(10)] },
    { name: 'remote-desktop', description: 'a remote-desktop viewer, then the exam PDF', steps: [web('remote', 26, { theme: 'dark', v: 0 }), pdf(12)] },
    { name: 'web-ide', description: 'hard case: a web IDE in Chromium --app mode (no browser chrome), permitted', steps: [webIde(40, 'dark')] },
    { name: 'side-chat', description: 'hard case: a small chat window beside the maximised editor', steps: [editor('geany', 'python', 14), sideChat(24, 'dark'), editor('geany', 'python', 10)] },
    { name: 'desktop-pdf-python', description: 'bare desktop, exam PDF, xterm running Python tests', steps: [desktop(8), pdf(18), terminal('python', 20)] },
    { name: 'search-qa-dark', description: 'xterm, a search engine (dark), a Q&A site (light), web IDE (light)', steps: [terminal('c', 10), web('search', 16, { theme: 'dark', v: 1 }), web('qa', 14, { theme: 'light', v: 1 }), webIde(12, 'light')] },
    { name: 'messaging-dark-files', description: 'file manager, messaging (dark), docs (dark)', steps: [files(12), web('messaging', 18, { theme: 'dark', v: 1 }), web('docs', 12, { theme: 'dark', v: 1 })] },
  ];
}

export function findScenarios(names: string[]): Scenario[] {
  const all = scenarioCatalogue();
  if (names.length === 1 && names[0] === 'all') return all;
  return names.map((n) => {
    const s = all.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario "${n}" (known: ${all.map((x) => x.name).join(', ')}, all)`);
    return s;
  });
}
