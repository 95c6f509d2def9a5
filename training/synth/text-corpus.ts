import type { Rng } from './prng.js';

/** Realistic words and sentences for documents, pages, chats and UI labels. */
const SENTENCES = [
  'Write a method that returns the average grade of the students who passed the course.',
  'The program must read the input file line by line and ignore empty lines.',
  'You can use the built-in sort function, but explain its complexity in a comment.',
  'Each test case is worth two points; partial solutions are graded proportionally.',
  'A linked list is a linear collection of data elements whose order is not given by their physical placement in memory.',
  'In computer science, a hash table is a data structure that implements an associative array.',
  'The method throws an exception if the index is out of range.',
  'Returns a new list containing the elements of this collection in ascending order.',
  'This answer is outdated: since version 8 you can use streams to do it in one line.',
  'Try to initialise the array before the loop, otherwise it will be null.',
  'Recursion is a method of solving a problem where the solution depends on solutions to smaller instances.',
  'Make sure the class implements the interface and overrides every abstract method.',
  'The time complexity of binary search is logarithmic in the size of the array.',
  'Use a dictionary to count how many times each word appears in the text.',
  'Submit a single zip file with your project folder before the end of the exam.',
  'Null reference exceptions are usually caused by a field that was never assigned.',
  'Here is a simple example that shows how to iterate over a map and print each entry.',
  'The constructor should validate its arguments and keep the object in a consistent state.',
  'Students are not allowed to use any external resources during the exam.',
  'Explain the difference between a stack and a queue with an example of each.',
  'The output must match the expected format exactly, including spaces and new lines.',
  'If the list is empty the function should return zero instead of raising an error.',
  'Thanks, that fixed it! I was missing the return statement at the end.',
  'Could you post the full stack trace? It is hard to tell from this snippet.',
  'Weather today: mostly sunny with a high of twenty-one degrees.',
  'Sorting algorithms are often classified by their computational complexity and memory usage.',
];

const WORDS = 'the of and to in is that for it as with was on be by this are or from at an which but not have has can all their were will one more when there been if its would so about into than only other some time these could two may first then do any like my now over such our man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(' ');

export const FIRST_NAMES = ['Ana', 'Luis', 'Marta', 'Pablo', 'Lucía', 'Javier', 'Sofía', 'Carlos', 'Elena', 'David', 'Emma', 'Noah', 'Olivia', 'Liam', 'Mia', 'Lucas', 'Chloe', 'Hugo', 'Sara', 'Adrián', 'Irene', 'Daniel', 'Paula', 'Álvaro', 'Nora', 'Omar', 'Yuki', 'Wei', 'Priya', 'Tom'];
export const LAST_NAMES = ['García', 'Fernández', 'López', 'Martínez', 'Smith', 'Brown', 'Rodríguez', 'Pérez', 'Suárez', 'Álvarez', 'Díaz', 'Müller', 'Rossi', 'Khan', 'Chen', 'Nguyen', 'Silva'];

export const CHAT_LINES = [
  'did you finish exercise 2?', 'what do they mean by "stable" sort??', 'send me the code pls', 'how do you do the second part', 'I am stuck on the recursion one',
  'lol same', 'ok', 'ok thanks!!', 'check the pdf, page 3', 'the test with empty input fails', 'which loop did you use', 'give me 5 min', 'haha',
  'is it allowed to use LINQ?', 'can you share your screen', 'it compiles but the output is wrong', 'use a HashMap', 'I think the answer is O(n log n)', 'here',
  'nope', 'wait', 'they changed the exam room link', 'brb', 'did you get the same error?', 'you need to return the list not print it', 'yes', '👍',
];

export const AI_QUESTIONS = [
  'Write a Java method that returns the average of a list of integers',
  'Why does my C# code throw a NullReferenceException here?',
  'Explain the difference between an abstract class and an interface',
  'How do I sort a dictionary by value in Python?',
  'Fix this code: it should print the numbers in reverse order',
  'What is the complexity of this algorithm?',
  'Implement a binary search tree insert method in C#',
  'Write a function that counts the words in a text file',
];

export function sentence(rng: Rng): string {
  return rng.pick(SENTENCES);
}

export function words(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS));
  const s = out.join(' ');
  return s[0].toUpperCase() + s.slice(1);
}

/** A paragraph wrapped to lines of at most `chars` characters. */
export function paragraph(rng: Rng, sentences: number, chars: number): string[] {
  const textAll = Array.from({ length: sentences }, () => (rng.chance(0.6) ? sentence(rng) : words(rng, rng.int(6, 16)) + '.')).join(' ');
  return wrap(textAll, chars);
}

export function wrap(textAll: string, chars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of textAll.split(' ')) {
    if (cur.length + w.length + 1 > chars && cur !== '') { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}
