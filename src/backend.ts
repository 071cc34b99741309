import * as tf from '@tensorflow/tfjs';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Native bindings are optional: their install downloads libtensorflow, so they are never hard deps. */
async function tryNative(): Promise<boolean> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      return true;
    } catch {
      // not installed (or its native library is missing): try the next one
    }
  }
  return false;
}

async function trySet(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Selects and initialises a backend; returns its name. Throws a one-line error when the requested one is unusable. */
export async function initBackend(choice: BackendChoice): Promise<string> {
  if (choice === 'tensorflow' || choice === 'auto') {
    if ((await tryNative()) && (await trySet('tensorflow'))) return ready();
    if (choice === 'tensorflow') {
      throw new Error('backend "tensorflow" needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu: npm install one of them');
    }
  }
  if (choice === 'wasm' || choice === 'auto') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await trySet('wasm')) return ready();
    if (choice === 'wasm') throw new Error('backend "wasm" failed to initialise');
  }
  if (await trySet('cpu')) return ready();
  throw new Error('no tfjs backend could be initialised');
}

async function ready(): Promise<string> {
  await tf.ready();
  tf.enableProdMode();
  return tf.getBackend();
}
