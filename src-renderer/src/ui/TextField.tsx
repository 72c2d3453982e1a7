// A Field whose control is a single <input> holding a string: the common case in every form.
// Everything but the wiring Field owns (id, aria-invalid, aria-describedby) passes to the input.
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { Field } from './Field';

type InputAttributes = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'name' | 'value' | 'onChange' | 'aria-invalid' | 'aria-describedby' | 'children'
>;

export interface TextFieldProps extends InputAttributes {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Rendered as data-field on the wrapper (as with Field), not as the input's name. */
  name?: string;
  value: string;
  onValueChange: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, error, name, value, onValueChange, ref, ...input }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} name={name}>
      {(p) => (
        <input {...p} {...input} ref={ref} value={value} onChange={(e) => onValueChange(e.target.value)} />
      )}
    </Field>
  );
}
