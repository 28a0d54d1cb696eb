// render(): verifies one bill or OFD document and draws its pages as SVG,
// each drawn object marked with whether a VALID signature covers it
// (docs/render.md). The drawing runs in a second WebAssembly module, the
// render module, loaded only on the first call: a page that only verifies
// never fetches, compiles or pays for it.

import { PiaoyanError } from "./error.js";
import { decodeBase64, toBytes } from "./bytes.js";
import { currentSeconds, optionsJson, readOptions } from "./options.js";

let loading = null; // the promise of the render module's glue, once asked for

function messageOf(e) {
  return e && e.message ? e.message : String(e);
}

async function renderGlue() {
  if (!loading) {
    loading = (async () => {
      const glue = await import("./piaoyan_render.js");
      const { default: base64 } = await import("./piaoyan_render_bytes.js");
      let module;
      try {
        module = await WebAssembly.compile(decodeBase64(base64));
        glue.initSync({ module });
      } catch (e) {
        throw new PiaoyanError("MODULE", `cannot load the render module: ${messageOf(e)}`);
      }
      return glue;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Whether the render module has been loaded (by a call of render()). */
export function isRenderLoaded() {
  return loading !== null;
}

/**
 * Verifies `input` (the file's bytes) with `options` (as for verify()) and
 * draws it: `{ pages: [{ svg, widthMm, heightMm, signed }], report }`.
 */
export async function render(input, options) {
  const bytes = toBytes(input, "the input");
  const json = optionsJson(readOptions(options), currentSeconds());
  const glue = await renderGlue();
  let text;
  try {
    text = glue.render(bytes, json);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      glue.__wbg_reset_state();
      throw new PiaoyanError("TRAP", "the renderer stopped on an internal error (a WebAssembly trap); it has been reset");
    }
    throw e;
  }
  if (text.startsWith("!")) {
    const [code, field, index] = text.slice(1).split("\n", 3);
    const message = text.slice(code.length + field.length + index.length + 4);
    throw new PiaoyanError(code, message, field || null, index === "" ? null : Number(index));
  }
  return JSON.parse(text);
}
