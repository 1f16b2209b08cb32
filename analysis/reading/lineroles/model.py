"""The line-role model: a multinomial logistic regression over line features, fitted by
scikit-learn (lbfgs, deterministic) and shipped as its vocabulary and weights in JSON
(``analysis/resources/line_roles.json``), applied with numpy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from analysis.config import RESOURCES_DIR

__all__ = ["MODEL_FILE", "ROLES", "START", "LineRoleModel", "default_model"]

ROLES = (
    "furniture",
    "column",
    "kicker",
    "title",
    "subtitle",
    "byline",
    "dateline",
    "body",
    "section",
    "caption",
    "note",
)
START = "^"
MODEL_FILE = RESOURCES_DIR / "line_roles.json"


# --- the model -------------------------------------------------------------------------


@dataclass
class LineRoleModel:
    """A fitted model: labels, the feature vocabulary, weights (labels × features) and
    intercepts, and where it came from (``info``)."""

    labels: list[str]
    vocabulary: dict[str, int]
    weights: np.ndarray
    intercepts: np.ndarray
    info: dict = field(default_factory=dict)

    def scores(self, features: list[dict[str, float]]) -> np.ndarray:
        """Lines × labels log-odds."""
        out = np.tile(self.intercepts, (len(features), 1))
        for row, feats in enumerate(features):
            cols = [self.vocabulary[k] for k in feats if k in self.vocabulary]
            if cols:
                out[row] += self.weights[:, cols].sum(axis=1)
        return out

    def predict(self, features: list[dict[str, float]]) -> list[str]:
        if not features:
            return []
        return [self.labels[k] for k in self.scores(features).argmax(axis=1)]

    def to_json(self, path: Path) -> None:
        names = sorted(self.vocabulary, key=self.vocabulary.get)
        data = {
            "info": self.info,
            "labels": self.labels,
            "features": names,
            "intercepts": [round(float(v), 6) for v in self.intercepts],
            "weights": [[round(float(v), 6) for v in row] for row in self.weights],
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> LineRoleModel:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            labels=data["labels"],
            vocabulary={name: k for k, name in enumerate(data["features"])},
            weights=np.asarray(data["weights"], dtype=np.float64),
            intercepts=np.asarray(data["intercepts"], dtype=np.float64),
            info=data.get("info", {}),
        )

    @classmethod
    def fit(cls, features: list[dict[str, float]], labels: list[str], *, c: float = 1.0,
            info: dict | None = None) -> LineRoleModel:  # fmt: skip
        """Fit on labelled lines (lbfgs, deterministic)."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = DictVectorizer(sort=True)
        matrix = vectorizer.fit_transform(features)
        model = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
        model.fit(matrix, labels)
        classes = [str(c) for c in model.classes_]
        weights, intercepts = model.coef_, model.intercept_
        if len(classes) == 2:  # a binary fit has one row: make it two
            weights = np.vstack([-weights[0], weights[0]]) / 2
            intercepts = np.array([-intercepts[0], intercepts[0]]) / 2
        vocabulary = {name: k for k, name in enumerate(vectorizer.feature_names_)}
        return cls(classes, vocabulary, weights, intercepts, info or {})


@cache
def default_model() -> LineRoleModel | None:
    """The model that ships with the package, or None when it is absent."""
    return LineRoleModel.from_json(MODEL_FILE) if MODEL_FILE.exists() else None
