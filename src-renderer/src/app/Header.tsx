import { usePresenting } from '../state/presenting';
import { EyeOffIcon } from '../ui/icons';
import { useBridge } from './services';

export function Header() {
  const bridge = useBridge();
  const presenting = usePresenting((s) => s.presenting);
  const setPresenting = usePresenting((s) => s.setPresenting);

  const toggle = () => {
    const on = !presenting;
    // Hide the notes right away, then tell main, which owns the state (its global shortcut flips
    // it too) and echoes it to every window through 'app.presenting'.
    setPresenting(on);
    bridge.app.setPresenting({ on }).then(
      (state) => setPresenting(state.on),
      () => undefined, // main unreachable: the local state still protects this window
    );
  };

  return (
    <header className={`app-header${presenting ? ' app-header--presenting' : ''}`}>
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          ◐
        </span>
        <span className="brand__name">Duet</span>
      </div>
      {/* Always present and only its text changes, so screen readers announce both switches. */}
      <div role="status" className="app-header__status">
        {presenting ? 'Presenting — private notes are hidden.' : ''}
      </div>
      <div className="app-header__tools">
        <button
          type="button"
          className={`toggle${presenting ? ' toggle--on' : ''}`}
          aria-pressed={presenting}
          title="Hide every private note before you share your screen"
          onClick={toggle}
        >
          <EyeOffIcon />
          <span>Presenting mode</span>
        </button>
      </div>
    </header>
  );
}
