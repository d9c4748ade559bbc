// Streams an image from the emulator with OpenAI's official SDK, unchanged: client.images.generate with
// stream: true and partial_images, iterating the events the SDK yields. Prints one JSON line per event:
// its type, partial_image_index (partials) and the length of its b64_json.
// Environment: OPENAI_BASE_URL (the emulator's /v1 root), OPENAI_API_KEY. Arguments: [partial_images] [prompt].
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
const partialImages = Number(process.argv[2] ?? '2');
const prompt = process.argv[3] ?? 'a lighthouse at dusk';
const stream = await client.images.generate({ model: 'gpt-image-2', prompt, stream: true, partial_images: partialImages });
for await (const event of stream) {
  console.log(JSON.stringify({
    type: event.type,
    partial_image_index: event.partial_image_index ?? null,
    b64_length: (event.b64_json ?? '').length,
    has_usage: event.usage !== undefined,
  }));
}
