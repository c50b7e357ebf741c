# The two commands of the README: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench load install weights training-photos system-packages check-content clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# torch is pinned here, before the project: this exact version installs the CPU build that
# lies on this machine's disk, where a looser requirement would pull a multi-GB CUDA build.
TORCH ?= torch==2.13.0

# Two packages of the LRP demo go in without their dependencies: zennit (the LRP rules) asks
# for torchvision, which would replace the CPU torch with a CUDA build and does not import
# beside it (models/lrp/lrp_rules.py loads zennit's modules without its torchvision import);
# mlxtend ships the 5,000 MNIST digits (mnist_5k.csv.gz) and only that file is read.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet '$(TORCH)'
	$(PY) -m pip install --quiet -e '.[test,models]'
	$(PY) -m pip install --quiet --no-deps zennit==0.5.1 mlxtend==0.25.0
	touch $@

# Pretrained weights that come from registry packages, checksum-verified (quick when present):
# the face detector's MTCNN checkpoints, from the facenet-pytorch 2.5.3 wheel (never installed).
weights: $(STAMP)
	$(PY) -m models.face_heatmap.fetch

install: $(STAMP) weights

# The colorization model's other training photos: unpacked, checksum-verified, from Debian
# packages that are downloaded but not installed (models/colorization/debian_photos.json lists
# them); quick when present. Only training and its tests read them, so `make run` does not.
training-photos: $(STAMP)
	$(PY) -m models.colorization.fetch

# Chromium drives the browser tests, redis-server the Celery queue tests; Apache Bench (ab) is
# the load generator of `make bench`. The wallpaper packages and opencv-doc (its sample photos)
# hold the photos the colorization model trains on (its training tests run a few steps on them). fluidsynth with
# the General MIDI soundfont and espeak-ng render WaveNet's training audio (its corpus test too);
# the colour emoji font is the GAN's data set. postgresql is the second database the tests run
# on (a throwaway cluster per test session, not the system service); docker-compose validates
# docker-compose.yml.
APT_PACKAGES := chromium redis-server apache2-utils postgresql docker-compose mate-backgrounds plasma-workspace-wallpapers gnome-backgrounds \
  lomiri-wallpapers-16.04 opencv-doc fluidsynth fluid-soundfont-gm espeak-ng fonts-noto-color-emoji

system-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v redis-server >/dev/null || ! command -v ab >/dev/null \
	    || [ ! -d /usr/share/backgrounds/mate/nature ] || [ ! -d /usr/share/wallpapers/Path ] \
	    || [ ! -f /usr/share/backgrounds/free_by_Peter_Nerlich.jpg ] || [ ! -d /usr/share/doc/opencv-doc/examples/data ] \
	    || ! command -v fluidsynth >/dev/null || ! command -v espeak-ng >/dev/null \
	    || [ ! -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] \
	    || [ -z "$$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] || ! command -v docker-compose >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	  else echo "need: apt-get install $(APT_PACKAGES) (as root)"; exit 1; fi; \
	fi

run: install
	$(VENV)/bin/marginalia migrate
	$(VENV)/bin/marginalia reindex
	$(VENV)/bin/marginalia serve

test: install system-packages training-photos lint
	$(PY) -m pytest

# What the project checks beyond its tests (pyproject.toml, [tool.ruff]).
lint: install
	$(VENV)/bin/ruff check app models tests

bench: install system-packages
	$(PY) tests/bench/bench_web.py
	$(PY) tests/bench/bench_annotations.py
	$(PY) tests/bench/bench_jobs.py
	$(PY) tests/bench/bench_colorization.py
	$(PY) tests/bench/bench_lrp.py
	$(PY) tests/bench/bench_face_heatmap.py
	$(PY) tests/bench/bench_style_transfer.py
	$(PY) tests/bench/bench_wavenet.py
	$(PY) tests/bench/bench_gan.py
	$(PY) tests/bench/load_mixed.py

# A mixed workload at 32 clients for 30 s, on SQLite (one web process) and on PostgreSQL
# (three), then every acknowledged write looked up in the database (README, Operations).
load: install system-packages
	$(PY) tests/bench/load_mixed.py

# `make train-DEMO` retrains a demo's model in the background through its spec's training
# command (`marginalia train DEMO`); run it again after a stop and it resumes from its last
# checkpoint. Colorization: about an hour on 2 cores.
train-%: install system-packages training-photos
	mkdir -p data/train
	nohup $(VENV)/bin/marginalia train $* >> data/train/$*.log 2>&1 &
	@echo "training in the background; follow data/train/$*.log (checkpoints in data/train/$*/)"

check-content: install
	$(VENV)/bin/marginalia check-content content/

clean:
	rm -rf $(VENV) data tests/artifacts
