// The filter controls shared by both views: device, time range, and a mode switch.
import type { Device } from '../api';
import { el } from '../dom';

export function deviceSelect(devices: readonly Device[], selected: string | null, allowAll: boolean): HTMLSelectElement {
  const select = el('select', { name: 'device', 'aria-label': 'device' });
  if (allowAll) select.append(el('option', { value: '' }, 'all devices'));
  for (const device of devices) {
    const option = el('option', { value: device.deviceId }, `${device.deviceName || device.deviceId} (${device.alerts} alert${device.alerts === 1 ? '' : 's'})`);
    if (device.deviceId === selected) option.selected = true;
    select.append(option);
  }
  return select;
}

export function textInput(name: string, value: string | null, placeholder: string): HTMLInputElement {
  const input = el('input', { name, type: 'text', placeholder, 'aria-label': name });
  input.value = value ?? '';
  return input;
}

export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return el('label', {}, text, control);
}

/** A two-way switch; `onChange` gets the chosen value. */
export function segmented(values: readonly string[], current: string, onChange: (value: string) => void): HTMLElement {
  const box = el('span', { class: 'seg', role: 'group' });
  for (const value of values) {
    const button = el('button', { type: 'button', class: value === current ? 'on' : '', 'data-value': value }, value);
    button.addEventListener('click', () => onChange(value));
    box.append(button);
  }
  return box;
}
