import type { CSSProperties } from 'react';

/** A monochrome icon from resources/icons, drawn in the current text colour. */
export function Icon({ src, size = 18, label }: { src: string; size?: number; label?: string }) {
  const style: CSSProperties = { width: size, height: size, maskImage: `url("${src}")`, WebkitMaskImage: `url("${src}")` };
  return <span className="icon" style={style} role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true} />;
}
