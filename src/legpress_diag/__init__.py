"""legpress-diag: why the leg press hurts your lower back, and what to do about it.

The package is a pipeline: rule files (``sources``, ``yamlsafe``) → ``loader`` →
compiled ``rulebase`` → ``engine`` → ``diagnosis`` → renderers. The questionnaire
(``questionnaire``) and the authoring tools (``authoring``) sit beside it, and the
command line (``cli``) is a thin shell over all of them. Programs use ``api``.
"""

__version__ = "0.1.0"
