"""Export: projects in the standard 项目支出绩效目标表 layout, as .xlsx (imports back unchanged)
and .docx, every text cell inert. Calling the package exports: `export(projects, "表.xlsx")`."""

from ..core import job_module

job_module(__name__, "export")
