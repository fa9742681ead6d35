// The agent's mixer: sounds mixed into the published audio track (play/stop and a volume each) and the
// microphone's volume. window.cskit.mixing (the ids of the sounds playing) is written only here.
import { $ } from '../util.js';
import { icon } from '../icons.js';

export const SOUNDS = [
  { id: 'music', name: 'Soft music', icon: 'music', url: '/sounds/music.mp3', volume: 0.35 },
  { id: 'chime', name: 'Chime', icon: 'bell', url: '/sounds/chime.mp3', volume: 0.6 },
  { id: 'tone', name: 'Tone 440 Hz', icon: 'wave', url: '/sounds/tone.mp3', volume: 0.3 },
];

/** Builds the mixer rows into #mixer-list for the page's <mb-publisher>. */
export function createMixer({ cs, publisher, banner }) {
  const list = $('mixer-list');
  for (const snd of SOUNDS) {
    const row = document.createElement('div');
    row.className = 'mix-row';
    row.dataset.testid = 'mix-row-' + snd.id;
    row.innerHTML = `<div class="mix-name"></div>
      <button class="btn btn-sm" type="button" id="mix-toggle-${snd.id}" data-testid="mix-toggle-${snd.id}">${icon('play', 14)} Play</button>
      <input type="range" min="0" max="1" step="0.05" id="mix-volume-${snd.id}" data-testid="mix-volume-${snd.id}" aria-label="${snd.name} volume">`;
    row.querySelector('.mix-name').innerHTML = icon(snd.icon, 16);
    row.querySelector('.mix-name').append(' ' + snd.name);
    const btn = row.querySelector('button');
    const vol = row.querySelector('input');
    vol.value = String(snd.volume);
    btn.addEventListener('click', async () => {
      if (publisher.mixes.includes(snd.id)) {
        publisher.unmixAudio(snd.id);
      } else {
        try { await publisher.mixAudio(snd.id, snd.url, Number(vol.value), { monitor: 0.25 }); } catch (err) { banner(`Cannot play ${snd.name}: ${err.message}`); }
      }
      render();
    });
    vol.addEventListener('input', () => publisher.setMixVolume(snd.id, Number(vol.value)));
    list.appendChild(row);
  }
  $('mic-volume').addEventListener('input', () => publisher.setMicVolume(Number($('mic-volume').value)));

  function render() {
    for (const snd of SOUNDS) {
      const on = publisher.mixes.includes(snd.id);
      const btn = $('mix-toggle-' + snd.id);
      btn.innerHTML = icon(on ? 'stop' : 'play', 14) + (on ? ' Stop' : ' Play');
      btn.closest('.mix-row').classList.toggle('playing', on);
    }
    cs.mixing = publisher.mixes;
  }
}
