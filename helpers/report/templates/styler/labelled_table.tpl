{#- pandas' html_table.tpl with each body cell labelled by its column header (data-label), so that a
    narrow screen can show a row as a stacked card (report.css: table.stacked). -#}
{% extends "html_table.tpl" %}
{% block tr scoped %}
    <tr>
{% for c in r %}{% if c.is_visible != False %}
      <{{c.type}} {%- if c.id is defined %} id="T_{{uuid}}_{{c.id}}" {%- endif %} class="{{c.class}}" {{c.attributes}}
      {%- if c.type == "td" %}{% for h in head[-1] if h.type == "th" and "col_heading" in h.class and h.class.split()[2] == c.class.split()[2] %} data-label="{{h.display_value}}"{% endfor %}{% endif %}>{{c.display_value}}</{{c.type}}>
{% endif %}{% endfor %}
    </tr>
{% endblock tr %}
