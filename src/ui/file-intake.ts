/**
 * `FileIntake`: the ways a person hands the composer files: the attach
 * button's picker, a drop on the composer (which shows where to drop), and a paste. Each file goes to
 * `send`, unless intake is off (no file store, or input held).
 */
import type { ReactiveControllerHost } from 'lit';

export class FileIntake {
  /** Files are being dragged over the composer. */
  dropping = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly accepts: () => boolean,
    private readonly send: (file: File) => void,
  ) {
  }

  private take(files: FileList | null | undefined): void {
    if (!files?.length || !this.accepts()) return;
    for (const file of files) this.send(file);
  }

  private set(dropping: boolean): void {
    if (dropping === this.dropping) return;
    this.dropping = dropping;
    this.host.requestUpdate();
  }

  readonly onPick = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.take(input.files);
    input.value = '';
  };

  readonly onDragOver = (event: DragEvent): void => {
    if (!this.accepts() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.set(true);
  };

  readonly onDragLeave = (): void => this.set(false);

  readonly onDrop = (event: DragEvent): void => {
    this.set(false);
    if (!this.accepts() || !event.dataTransfer?.files.length) return;
    event.preventDefault();
    this.take(event.dataTransfer.files);
  };

  readonly onPaste = (event: ClipboardEvent): void => {
    if (!this.accepts() || !event.clipboardData?.files.length) return;
    event.preventDefault();
    this.take(event.clipboardData.files);
  };
}
