/**
 * The active model (frontend/README.md): read from GET /api/settings/model (falling back to /health's `active_model`
 * when the settings route is missing), switched with PUT keeping stored parameters and provider preferences.
 */
import { ApiError } from '../api/client';
import { health } from '../api/history';
import { getModelSettings, listModels, putModelSettings, type CatalogModel, type ModelSettings } from '../api/models';

export class ModelSelection {
  current = $state<string | null>(null);
  settings = $state<ModelSettings | null>(null);
  catalogue = $state.raw<CatalogModel[]>([]);
  catalogueError = $state<string | null>(null);
  catalogueLoading = $state(false);
  saveError = $state<string | null>(null);

  async init(): Promise<void> {
    try {
      this.settings = await getModelSettings();
      this.current = this.settings.model;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      this.settings = null;
      const h = await health().catch(() => null);
      this.current = this.current ?? h?.active_model ?? null;
    }
  }

  async loadCatalogue(): Promise<void> {
    if (this.catalogue.length || this.catalogueLoading) return;
    this.catalogueLoading = true;
    try {
      this.catalogue = (await listModels()).data ?? [];
      this.catalogueError = null;
    } catch (err) {
      this.catalogueError = err instanceof ApiError && err.status === 404
        ? 'The model catalogue is not available on this server; type a model id instead.'
        : `Could not load models: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.catalogueLoading = false;
    }
  }

  /** Switches the model only: parameters and provider preferences stay as stored. */
  async select(id: string): Promise<void> {
    this.current = id;
    this.saveError = null;
    if (!this.settings) return; // no settings route: the model travels with each request
    try {
      this.settings = await putModelSettings({ ...this.settings, model: id });
    } catch (err) {
      this.saveError = err instanceof Error ? err.message : String(err);
    }
  }

  async saveSettings(next: ModelSettings): Promise<void> {
    this.settings = await putModelSettings(next);
    this.current = this.settings.model;
  }
}
