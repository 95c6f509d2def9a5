/**
 * What the student works on in each set. The holdout and train sets use different
 * code, different terminal commands and different pages, so a model trained on
 * `real-train` is not tested on screens it has seen.
 */
export type RecordSet = 'holdout' | 'train';
export const RECORD_SETS: readonly RecordSet[] = ['holdout', 'train'];

export interface SetContent {
  /** Files written into ~/exam of the session's workspace. */
  files: Record<string, string>;
  /** Terminal sessions: commands typed one by one into xterm. */
  terminal: { c: string[]; python: string[]; java: string[] };
  /** Code typed into the editors, line by line. */
  typing: { c: string; python: string };
  /** File opened in each editor before typing. */
  editorFile: { mousepad: string; geany: string };
  /** Folders visited in the file manager, relative to $HOME. */
  folders: string[];
}

const HOLDOUT: SetContent = {
  files: {
    'exam/matrix.c': `#include <stdio.h>

/* Exercise 1: multiply two square matrices read from stdin */
void multiply(int n, double a[n][n], double b[n][n], double c[n][n]) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int k = 0; k < n; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    double a[n][n], b[n][n], c[n][n];
    for (int i = 0; i < n * n; i++) scanf("%lf", &a[i / n][i % n]);
    for (int i = 0; i < n * n; i++) scanf("%lf", &b[i / n][i % n]);
    multiply(n, a, b, c);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) printf("%g ", c[i][j]);
        printf("\\n");
    }
    return 0;
}
`,
    'exam/input.txt': '2\n1 2\n3 4\n5 6\n7 8\n',
    'exam/freq.py': `"""Exercise 2: the ten most frequent words of a text file."""
import sys
from collections import Counter


def top_words(text, n=10):
    words = [w.strip('.,;:!?"()').lower() for w in text.split()]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        for word, count in top_words(f.read()):
            print(f"{word} {count}")
`,
    'exam/test_freq.py': `import unittest
from freq import top_words


class TopWordsTest(unittest.TestCase):
    def test_counts(self):
        self.assertEqual(top_words("a b a c a b"), [("a", 3), ("b", 2), ("c", 1)])

    def test_ties_alphabetical(self):
        self.assertEqual(top_words("z y x"), [("x", 1), ("y", 1), ("z", 1)])

    def test_punctuation(self):
        self.assertEqual(top_words("Hi, hi! HI."), [("hi", 3)])


if __name__ == "__main__":
    unittest.main()
`,
    'exam/words.txt': 'en un lugar de la mancha de cuyo nombre no quiero acordarme no ha mucho tiempo que vivia un hidalgo de los de lanza en astillero adarga antigua rocin flaco y galgo corredor\n'.repeat(20),
    'exam/Account.java': `// Exercise 3: bank accounts
public class Account {
    private final String iban;
    private double balance;

    public Account(String iban, double balance) {
        this.iban = iban;
        this.balance = balance;
    }

    public void deposit(double amount) {
        if (amount <= 0) throw new IllegalArgumentException("amount must be positive");
        balance += amount;
    }

    public void withdraw(double amount) {
        if (amount > balance) throw new IllegalStateException("insufficient funds in " + iban);
        balance -= amount;
    }

    public static void transfer(Account from, Account to, double amount) {
        from.withdraw(amount);
        to.deposit(amount);
    }

    public double balance() { return balance; }
}
`,
    'exam/AccountTest.java': `public class AccountTest {
    static void check(boolean ok, String what) {
        System.out.println((ok ? "PASS " : "FAIL ") + what);
    }

    public static void main(String[] args) {
        Account a = new Account("ES12", 100), b = new Account("ES34", 0);
        a.withdraw(30);
        check(a.balance() == 70, "withdraw");
        Account.transfer(a, b, 20);
        check(a.balance() == 50 && b.balance() == 20, "transfer");
        try { b.withdraw(1000); check(false, "overdraft"); }
        catch (IllegalStateException e) { check(true, "overdraft refused"); }
    }
}
`,
    'exam/notes.txt': 'Exercise 4: complexity\n- multiply: O(n^3)\n- top_words: O(n log n) for the sort\n',
    'Documents/course/slides-week3.txt': 'Pointers and arrays\n',
    'Documents/course/lab2/lab2.c': 'int main(void) { return 0; }\n',
    'Pictures/holiday.txt': 'not an image\n',
  },
  terminal: {
    c: ['cd ~/exam', 'ls -la', 'gcc -Wall -std=c11 -o matrix matrix.c', 'cat input.txt', './matrix < input.txt', 'head -20 matrix.c', 'echo $?'],
    python: ['cd ~/exam', 'python3 freq.py words.txt', 'python3 -m unittest -v test_freq', 'wc -l freq.py test_freq.py', 'cat notes.txt'],
    java: ['cd ~/exam', 'ls *.java', 'javac Account.java AccountTest.java', 'java AccountTest', 'ls -l *.class', 'tail -12 Account.java'],
  },
  typing: {
    c: `/* Exercise 1b: transpose in place */
void transpose(int n, double m[n][n]) {
for (int i = 0; i < n; i++)
for (int j = i + 1; j < n; j++) {
double t = m[i][j];
m[i][j] = m[j][i];
m[j][i] = t;
}
}
`,
    python: `def most_common_letter(text):
counts = {}
for ch in text.lower():
if ch.isalpha():
counts[ch] = counts.get(ch, 0) + 1
return max(counts, key=counts.get)
`,
  },
  editorFile: { mousepad: 'exam/matrix.c', geany: 'exam/freq.py' },
  folders: ['exam', 'Documents', 'Documents/course', 'Documents/course/lab2', 'exam'],
};

const TRAIN: SetContent = {
  files: {
    'midterm/list.c': `#include <stdio.h>
#include <stdlib.h>

/* Exercise 1: a singly linked list of integers */
struct node { int value; struct node *next; };

struct node *push_front(struct node *head, int value) {
    struct node *n = malloc(sizeof *n);
    if (!n) { perror("malloc"); exit(1); }
    n->value = value;
    n->next = head;
    return n;
}

struct node *reverse(struct node *head) {
    struct node *prev = NULL;
    while (head) {
        struct node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

int main(void) {
    struct node *list = NULL;
    for (int i = 1; i <= 5; i++) list = push_front(list, i * i);
    list = reverse(list);
    for (struct node *p = list; p; p = p->next) printf("%d ", p->value);
    printf("\\n");
    while (list) { struct node *n = list->next; free(list); list = n; }
    return 0;
}
`,
    'midterm/queue_sim.py': `"""Exercise 3: supermarket with two tills."""
import random
from collections import deque


def simulate(customers=200, seed=1):
    rng = random.Random(seed)
    tills = [deque(), deque()]
    waits = []
    for t in range(customers):
        shortest = min(tills, key=len)
        shortest.append(t)
        for q in tills:
            if q and rng.random() < 0.55:
                waits.append(t - q.popleft())
    return sum(waits) / len(waits)


if __name__ == "__main__":
    print(f"average wait: {simulate():.2f} ticks")
`,
    'midterm/BST.java': `import java.util.*;

// Exercise 2: binary search tree
public class BST {
    private static class Node { int key; Node left, right; Node(int k) { key = k; } }
    private Node root;

    public void insert(int key) { root = insert(root, key); }

    private Node insert(Node n, int key) {
        if (n == null) return new Node(key);
        if (key < n.key) n.left = insert(n.left, key);
        else if (key > n.key) n.right = insert(n.right, key);
        return n;
    }

    public List<Integer> inOrder() {
        List<Integer> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    private void walk(Node n, List<Integer> out) {
        if (n == null) return;
        walk(n.left, out); out.add(n.key); walk(n.right, out);
    }

    public static void main(String[] args) {
        BST t = new BST();
        for (int k : new int[] {8, 3, 10, 1, 6, 14, 4}) t.insert(k);
        System.out.println(t.inOrder());
    }
}
`,
    'midterm/Makefile': 'list: list.c\n\tgcc -g -Wall -o list list.c\n',
    'midterm/theory.md': '# Theory\nArrays: O(1) random access; linked lists: O(1) insertion at the front.\n',
    'Downloads/syllabus.txt': 'Data Structures syllabus\n',
    'projects/game/main.py': 'print("hello")\n',
    'projects/game/README.md': '# game\n',
    'Music/playlist.m3u': '#EXTM3U\n',
  },
  terminal: {
    c: ['cd ~/midterm', 'ls', 'make list', './list', 'gcc -g -Wall -o list list.c && ./list', 'grep -n malloc list.c', 'ls -lh'],
    python: ['cd ~/midterm', 'python3 queue_sim.py', 'python3 -c "import queue_sim; print(queue_sim.simulate(500, 7))"', 'head -15 queue_sim.py', 'cat theory.md'],
    java: ['cd ~/midterm', 'javac BST.java', 'java BST', 'ls', 'grep -c "private" BST.java', 'cat Makefile'],
  },
  typing: {
    c: `/* Exercise 1b: remove the first node holding value */
struct node *remove_value(struct node *head, int value) {
struct node **p = &head;
while (*p && (*p)->value != value) p = &(*p)->next;
if (*p) { struct node *dead = *p; *p = dead->next; free(dead); }
return head;
}
`,
    python: `def average_wait(waits):
if not waits:
return 0.0
total = 0
for w in waits:
total += w
return total / len(waits)
`,
  },
  editorFile: { mousepad: 'midterm/list.c', geany: 'midterm/queue_sim.py' },
  folders: ['midterm', 'projects', 'projects/game', 'Downloads', 'midterm'],
};

export function setContent(set: RecordSet): SetContent {
  return set === 'train' ? TRAIN : HOLDOUT;
}
