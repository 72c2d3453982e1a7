// An input for e-mail addresses (one, or a comma-separated list): typed as text unless the
// caller says otherwise, never spell-checked or autofilled.
import { TextField, type TextFieldProps } from '../../ui/TextField';

export function AddressesField({ type = 'text', ...props }: TextFieldProps) {
  return <TextField {...props} type={type} autoComplete="off" spellCheck={false} />;
}
