import type { Rng } from './prng.js';
import type { AppKind, OsStyle, PageKind } from './scene.js';

/** Which look-alike families of each app kind exist on each OS style. */
const FLAVORS: Record<AppKind, (os: OsStyle) => readonly string[]> = {
  ide: (os) => (os === 'win10' || os === 'win11' ? ['vscode', 'jetbrains', 'visualstudio', 'vscode', 'jetbrains'] : os === 'macos' ? ['vscode', 'jetbrains'] : ['vscode', 'jetbrains', 'geany', 'geany']),
  terminal: (os) => (os === 'win10' || os === 'win11' ? ['windows-terminal', 'cmd', 'powershell'] : os === 'macos' ? ['macos-terminal'] : os === 'openbox' ? ['xterm', 'xterm', 'xterm-dark', 'gnome-terminal'] : ['gnome-terminal', 'konsole', 'xterm']),
  'file-explorer': (os) => (os === 'win10' || os === 'win11' ? ['explorer'] : os === 'macos' ? ['finder'] : os === 'kde' ? ['dolphin'] : os === 'openbox' ? ['pcmanfm'] : ['nautilus', 'pcmanfm']),
  'text-editor': (os) => (os === 'win10' || os === 'win11' ? ['notepad', 'notepadpp'] : os === 'macos' ? ['textedit'] : ['mousepad', 'gedit', 'kate', 'mousepad']),
  'pdf-viewer': (os) => (os === 'win10' || os === 'win11' ? ['acrobat', 'sumatra'] : os === 'macos' ? ['preview'] : ['mupdf', 'evince', 'okular', 'mupdf']),
  browser: (os) => (os === 'win10' || os === 'win11' ? ['chrome', 'edge', 'firefox', 'chrome'] : os === 'macos' ? ['chrome', 'safari', 'firefox'] : ['chromium', 'firefox', 'chrome', 'chromium']),
  'ai-chat': () => ['chatgpt', 'claude', 'gemini', 'copilot'],
  messaging: () => ['whatsapp', 'telegram', 'discord', 'slack', 'teams'],
  'video-call': () => ['zoom', 'teams', 'meet', 'discord'],
  'remote-desktop': () => ['rdp', 'anydesk', 'phone-mirror', 'phone-mirror'],
};

export function pickFlavor(rng: Rng, kind: AppKind, os: OsStyle): string {
  return rng.pick(FLAVORS[kind](os));
}

export const PROHIBITED_PAGES: readonly (readonly [PageKind, number])[] = [
  ['search', 5], ['qa', 6], ['docs', 4], ['video', 2], ['article', 3], ['ai-chat', 5], ['messaging', 2], ['video-call', 1], ['pdf', 1], ['webmail', 1], ['social', 1.5], ['news', 1.5],
];

const SITE_NAMES: Record<PageKind, readonly string[]> = {
  search: ['Google Search', 'Bing', 'DuckDuckGo'],
  qa: ['Stack Overflow', 'Reddit', 'Quora', 'Stack Exchange'],
  docs: ['Microsoft Learn', 'Oracle Docs', 'Python 3 documentation', 'MDN Web Docs', 'GeeksforGeeks', 'W3Schools'],
  video: ['YouTube', 'Vimeo'],
  article: ['Medium', 'Wikipedia', 'dev.to', 'Baeldung', 'Real Python'],
  'ai-chat': ['ChatGPT', 'Claude', 'Gemini', 'Copilot'],
  messaging: ['WhatsApp', 'Telegram Web', 'Discord', 'Slack'],
  'video-call': ['Meet', 'Zoom', 'Microsoft Teams'],
  pdf: ['exam.pdf'],
  'web-ide': ['Exam IDE', 'Code Server', 'Replit'],
  webmail: ['Gmail', 'Outlook'],
  social: ['Reddit', 'X', 'Instagram', 'Facebook'],
  news: ['BBC News', 'El País', 'The Guardian', 'Amazon', 'Marca'],
};

const HOSTS: Record<PageKind, readonly string[]> = {
  search: ['www.google.com/search?q=', 'www.bing.com/search?q=', 'duckduckgo.com/?q='],
  qa: ['stackoverflow.com/questions/', 'www.reddit.com/r/learnprogramming/comments/', 'superuser.com/questions/'],
  docs: ['learn.microsoft.com/en-us/dotnet/api/', 'docs.oracle.com/javase/8/docs/api/java/util/', 'docs.python.org/3/library/', 'developer.mozilla.org/en-US/docs/', 'www.geeksforgeeks.org/'],
  video: ['www.youtube.com/watch?v=', 'vimeo.com/'],
  article: ['medium.com/@', 'en.wikipedia.org/wiki/', 'www.baeldung.com/', 'realpython.com/'],
  'ai-chat': ['chatgpt.com/c/', 'claude.ai/chat/', 'gemini.google.com/app/', 'copilot.microsoft.com/chats/'],
  messaging: ['web.whatsapp.com/', 'web.telegram.org/k/', 'discord.com/channels/', 'app.slack.com/client/'],
  'video-call': ['meet.google.com/', 'app.zoom.us/wc/', 'teams.microsoft.com/v2/'],
  pdf: ['file:///home/student/exam/', 'file:///C:/Users/student/Downloads/'],
  'web-ide': ['exam.university.edu/ide/', 'localhost:8080/?folder=/home/student/'],
  webmail: ['mail.google.com/mail/u/0/#inbox', 'outlook.office.com/mail/'],
  social: ['www.reddit.com/r/', 'x.com/home', 'www.instagram.com/', 'www.facebook.com/'],
  news: ['www.bbc.com/news/', 'elpais.com/tecnologia/', 'www.theguardian.com/technology/', 'www.amazon.es/s?k=', 'www.marca.com/futbol/'],
};

const WORDS = ['java', 'arraylist', 'sort', 'python', 'list', 'comprehension', 'c#', 'linq', 'dictionary', 'recursion', 'binary', 'tree', 'exception', 'null', 'pointer', 'stream', 'reverse', 'string', 'hashmap', 'iterate', 'how', 'to', 'fix', 'error', 'example', 'lambda', 'index', 'out', 'of', 'range'];

export function siteName(rng: Rng, page: PageKind): string {
  return rng.pick(SITE_NAMES[page]);
}

export function pageUrl(rng: Rng, page: PageKind): string {
  const host = rng.pick(HOSTS[page]);
  const slug = rng.shuffle(WORDS).slice(0, rng.int(2, 5));
  const sep = host.endsWith('=') ? '+' : '-';
  const tail = page === 'pdf' ? 'exam-statement.pdf' : page === 'webmail' ? '' : `${/\d$|questions\/$/.test(host) || host.endsWith('/c/') ? rng.int(10_000, 79_999_999) + '/' : ''}${slug.join(sep)}`;
  return `${host}${tail}`;
}

export function searchQuery(rng: Rng): string {
  return rng.shuffle(WORDS).slice(0, rng.int(3, 6)).join(' ');
}
