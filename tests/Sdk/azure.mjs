// OpenAI's official TypeScript SDK, its AzureOpenAI client unchanged, against the emulator's Azure OpenAI routes:
// a generation and an edit with a key, and a generation signed with a token of the managed-identity endpoint.
// Reads AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION as the SDK does; IDENTITY_ENDPOINT and
// IDENTITY_HEADER for the token; argv[2] and argv[3]: an image and a mask to edit. Prints one JSON line per call.
import fs from 'node:fs';
import { AzureOpenAI, toFile } from 'openai';

const [image, mask] = process.argv.slice(2);
const print = (call, answer) => console.log(JSON.stringify({
  call,
  images: answer.data.length,
  b64: answer.data.map((d) => (d.b64_json ?? '').length),
  url: answer.data.some((d) => d.url),
}));

const keyed = new AzureOpenAI({ deployment: 'gpt-image-1' });
print('generate', await keyed.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse at dawn', size: '1024x1024', quality: 'low', n: 2 }));
print('edit', await keyed.images.edit({
  model: 'gpt-image-1',
  prompt: 'add a hat',
  image: await toFile(fs.createReadStream(image), 'room.png', { type: 'image/png' }),
  mask: await toFile(fs.createReadStream(mask), 'mask.png', { type: 'image/png' }),
}));

const azureADTokenProvider = async () => {
  const url = new URL(process.env.IDENTITY_ENDPOINT);
  url.searchParams.set('resource', 'https://cognitiveservices.azure.com');
  url.searchParams.set('api-version', '2019-08-01');
  const answer = await fetch(url, { headers: { 'X-IDENTITY-HEADER': process.env.IDENTITY_HEADER } });
  return (await answer.json()).access_token;
};
const signed = new AzureOpenAI({ apiKey: null, azureADTokenProvider, endpoint: process.env.AZURE_OPENAI_ENDPOINT, deployment: 'images' });
print('generate-with-token', await signed.images.generate({ model: 'gpt-image-1', prompt: 'a paper boat' }));
