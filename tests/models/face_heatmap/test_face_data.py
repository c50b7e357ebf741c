"""The evaluation set: reproducible scenes whose boxes lie where the faces were pasted."""

import numpy as np

from models.face_heatmap import data


def test_backgrounds_and_faces_are_installed() -> None:
    missing = [str(photo.path) for photo in data.backgrounds() if not photo.path.is_file()]
    assert missing == [], "install the wallpaper packages (make system-packages)"
    sources = data.face_sources()
    assert len(sources) == 101 and sources[0].name == "astronaut"


def test_a_scene_is_the_same_every_time_and_a_prefix_of_the_set() -> None:
    first, again = data.make_scene(3), data.evaluation_set(4)[3]
    assert np.array_equal(first.rgb, again.rgb) and first.faces == again.faces
    assert not np.array_equal(data.make_scene(4).rgb, first.rgb)
    assert data.make_scene(3, seed=1).faces != first.faces


def test_boxes_sizes_and_angles_lie_in_their_ranges() -> None:
    width, height = data.CANVAS
    for scene in data.evaluation_set(12):
        assert scene.rgb.shape == (height, width, 3) and scene.rgb.dtype == np.uint8
        assert 1 <= len(scene.faces) <= 4
        for face in scene.faces:
            x1, y1, x2, y2 = face.box
            assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
            assert abs((x2 - x1) - face.size) < 0.05 and abs((y2 - y1) - face.size) < 0.05
            assert 20 <= face.size <= 200 and abs(face.angle) <= 20


def test_a_pasted_face_changes_only_its_neighbourhood() -> None:
    from PIL import Image

    canvas = Image.new("RGB", (300, 200), (0, 0, 0))
    data.paste_face(canvas, data.face_sources()[5], centre=(150.0, 100.0), size=60, angle=15)
    changed = np.argwhere(np.asarray(canvas).sum(axis=2) > 0)
    (top, left), (bottom, right) = changed.min(axis=0), changed.max(axis=0)
    # the LFW crop is the face box: turned by 15 degrees it spans up to 60 * (cos + sin) px
    assert 150 - 45 <= left and right <= 150 + 45 and 100 - 45 <= top and bottom <= 100 + 45
    assert abs((left + right) / 2 - 150) <= 2 and abs((top + bottom) / 2 - 100) <= 2
