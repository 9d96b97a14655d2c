/** Short-lived notices ("Copied", "Saved", an error that has no better place), shown by Toaster.svelte. */
export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'success' | 'error';
}

export class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(message: string, kind: Toast['kind'] = 'info', ms = 3500): number {
    const id = this.next++;
    this.items = [...this.items.slice(-3), { id, message, kind }];
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
